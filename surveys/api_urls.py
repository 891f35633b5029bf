"""Pulse surveys and 1:1s: API under /api/v1/orgs/<org_slug>/surveys/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("surveys/settings", api.SurveySettingsViewSet, basename="survey-settings")
router.register("surveys/surveys", api.SurveyViewSet, basename="survey")
router.register("surveys/questions", api.QuestionViewSet, basename="survey-question")
router.register("surveys/rounds", api.RoundViewSet, basename="survey-round")
router.register("surveys/one-on-ones", api.OneOnOneViewSet, basename="one-on-one")
router.register("surveys/meetings", api.MeetingViewSet, basename="meeting")
urlpatterns = router.urls
