"""Analytics: API under /api/v1/orgs/<org_slug>/."""

from rest_framework.routers import SimpleRouter

from analytics import api

router = SimpleRouter()
router.register("analytics/conversions", api.ConversionViewSet, basename="analytics-conversion")
router.register(
    "analytics/poll-failures", api.PollFailureViewSet, basename="analytics-poll-failure"
)
urlpatterns = router.urls
