"""Data rights API under /api/v1/orgs/<org_slug>/privacy/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("privacy/exports", api.PersonalExportViewSet, basename="privacy-export")
router.register("privacy/account", api.AccountViewSet, basename="privacy-account")
urlpatterns = router.urls
