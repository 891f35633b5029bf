"""Content library: API under /api/v1/orgs/<org_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("library/items", api.ContentItemViewSet, basename="library-item")
router.register("library/topics", api.TopicViewSet, basename="library-topic")
router.register("library/sources", api.FeedSourceViewSet, basename="library-source")
router.register("library/suggestions", api.SuggestionViewSet, basename="library-suggestion")
router.register("guidelines/versions", api.GuidelinesViewSet, basename="guidelines-version")
router.register("training/courses", api.CourseViewSet, basename="training-course")
router.register("training/lessons", api.LessonViewSet, basename="training-lesson")
router.register("training/questions", api.QuizQuestionViewSet, basename="training-question")

urlpatterns = [
    path("library/settings/", api.LibrarySettingsView.as_view(), name="library-settings"),
    *router.urls,
]
