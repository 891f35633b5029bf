"""Content library: pages under /o/<org_slug>/."""

from django.urls import path

from . import views

app_name = "content_library"
urlpatterns = [
    path("library/", views.LibraryView.as_view(), name="library"),
    path("library/bulk/", views.BulkActionView.as_view(), name="bulk"),
    path("library/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("library/review/", views.ReviewQueueView.as_view(), name="review"),
    path("library/suggestions/", views.SuggestionQueueView.as_view(), name="suggestions"),
    path(
        "library/suggestions/<int:pk>/accept/",
        views.SuggestionDecisionView.as_view(accept=True),
        name="suggestion_accept",
    ),
    path(
        "library/suggestions/<int:pk>/decline/",
        views.SuggestionDecisionView.as_view(accept=False),
        name="suggestion_decline",
    ),
    path("library/sources/", views.SourcesView.as_view(), name="sources"),
    path("library/sources/<int:pk>/poll/", views.SourcePollView.as_view(), name="source_poll"),
    path("library/settings/", views.LibrarySettingsView.as_view(), name="settings"),
    path("library/<int:pk>/", views.ItemEditView.as_view(), name="item_edit"),
    path("library/<int:pk>/preview/", views.ItemPreviewView.as_view(), name="item_preview"),
    path("library/<int:pk>/refetch/", views.ItemRefetchView.as_view(), name="item_refetch"),
    *[
        path(
            f"library/<int:pk>/{action}/",
            views.ItemTransitionView.as_view(action=action),
            name=f"item_{action}",
        )
        for action in ("submit", "approve", "reject", "archive", "restore")
    ],
    path("library/suggest/", views.SuggestView.as_view(), name="suggest"),
    path("guidelines/", views.GuidelinesView.as_view(), name="guidelines"),
    path("guidelines/publish/", views.GuidelinesPublishView.as_view(), name="guidelines_publish"),
    path(
        "guidelines/<int:pk>/acknowledgements/",
        views.GuidelinesAcknowledgementsView.as_view(),
        name="guidelines_acks",
    ),
    path("training/", views.TrainingView.as_view(), name="training"),
    path("training/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("training/<int:pk>/", views.CourseView.as_view(), name="course"),
    path("training/<int:pk>/manage/", views.CourseManageView.as_view(), name="course_manage"),
    path("training/lessons/<int:pk>/", views.LessonView.as_view(), name="lesson"),
]
