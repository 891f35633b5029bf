"""Social networks: API under /api/v1/orgs/<org_slug>/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("social/connections", api.ConnectionViewSet, basename="social-connection")
router.register("social/health", api.ConnectionHealthViewSet, basename="social-health")
urlpatterns = router.urls
