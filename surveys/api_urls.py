"""Pulse surveys: API under /api/v1/orgs/<org_slug>/."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
urlpatterns = router.urls
