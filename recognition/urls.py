"""Recognition and rewards: pages under /o/<org_slug>/recognition/."""

from django.urls import path

from . import admin_views, views

app_name = "recognition"
urlpatterns = [
    path("recognition/", views.FeedView.as_view(), name="feed"),
    path("recognition/shoutouts/<int:pk>/react/", views.ReactView.as_view(), name="react"),
    path("recognition/shoutouts/<int:pk>/comment/", views.CommentView.as_view(), name="comment"),
    path("recognition/reposts/<int:pk>/", views.RepostAnswerView.as_view(), name="repost_answer"),
    path("recognition/me/", views.MeView.as_view(), name="me"),
    path("recognition/people/<int:pk>/", views.ProfileView.as_view(), name="profile"),
    path("recognition/leaderboards/", views.LeaderboardsView.as_view(), name="leaderboards"),
    path("recognition/rewards/", views.RewardsView.as_view(), name="rewards"),
    path("recognition/rewards/<int:pk>/redeem/", views.RedeemView.as_view(), name="redeem"),
    path("recognition/thanks/", views.LeadersView.as_view(), name="leaders"),
    path("recognition/awards/", views.AwardsView.as_view(), name="awards"),
    path("recognition/awards/rounds/<int:pk>/", views.AwardRoundView.as_view(), name="award_round"),
    path("recognition/summary/", views.SummaryView.as_view(), name="summary"),
    path("recognition/admin/", admin_views.AdminHomeView.as_view(), name="admin"),
    path(
        "recognition/admin/redemptions/<int:pk>/<str:decision>/",
        admin_views.RedemptionDecideView.as_view(),
        name="redemption_decide",
    ),
    path(
        "recognition/admin/flags/<int:pk>/<str:decision>/",
        admin_views.FlagReviewView.as_view(),
        name="flag_review",
    ),
    path("recognition/admin/liability/", admin_views.LiabilityView.as_view(), name="liability"),
    path("recognition/admin/rewards/", admin_views.RewardEditView.as_view(), name="reward_new"),
    path(
        "recognition/admin/rewards/<int:pk>/",
        admin_views.RewardEditView.as_view(),
        name="reward_edit",
    ),
    path("recognition/admin/settings/", admin_views.SettingsView.as_view(), name="settings"),
    path("recognition/admin/adjust/", admin_views.AdjustView.as_view(), name="adjust"),
    path("recognition/admin/newsletter/", admin_views.NewsletterView.as_view(), name="newsletter"),
    path(
        "recognition/admin/summary.csv", admin_views.SummaryExportView.as_view(), name="summary_csv"
    ),
]
