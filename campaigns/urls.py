"""Campaigns and sharing: pages under /o/<org_slug>/."""

from django.urls import include, path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("share/", views.FeedView.as_view(), name="feed"),
    path("share/<int:content_id>/", views.ComposeView.as_view(), name="compose"),
    path(
        "share/<int:content_id>/preview/",
        views.ComposePreviewView.as_view(),
        name="compose_preview",
    ),
    path(
        "share/<int:content_id>/connect/<str:network>/",
        views.ComposeConnectView.as_view(),
        name="compose_connect",
    ),
    path(
        "share/<int:content_id>/by-hand/<str:channel>/",
        views.ShareByHandView.as_view(),
        name="share_by_hand",
    ),
    path("shares/", views.MySharesView.as_view(), name="my_shares"),
    path(
        "shares/<int:pk>/retry/", views.ShareActionView.as_view(action="retry"), name="share_retry"
    ),
    path(
        "shares/<int:pk>/cancel/",
        views.ShareActionView.as_view(action="cancel"),
        name="share_cancel",
    ),
    path(
        "shares/<int:pk>/posted/",
        views.ShareActionView.as_view(action="posted"),
        name="share_posted",
    ),
    path(
        "shares/<int:pk>/not-posted/",
        views.ShareActionView.as_view(action="not_posted"),
        name="share_not_posted",
    ),
    path("shares/<int:pk>/check/", views.ShareCheckView.as_view(), name="share_check"),
    path("shares/check-prompt/", views.CheckPromptView.as_view(), name="check_prompt"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignFormView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignFormView.as_view(), name="campaign_edit"),
    path(
        "campaigns/<int:pk>/launch/",
        views.CampaignActionView.as_view(action="launch"),
        name="campaign_launch",
    ),
    path(
        "campaigns/<int:pk>/end/",
        views.CampaignActionView.as_view(action="end"),
        name="campaign_end",
    ),
    path("sharing/failed/", views.FailedSharesView.as_view(), name="failed_shares"),
    path("sharing/settings/", views.SettingsView.as_view(), name="settings"),
    path("", include("campaigns.digests.urls")),  # content digests (campaigns/digests/)
]
