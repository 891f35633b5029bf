"""Digests: API under /api/v1/orgs/<org_slug>/digests/ (included by campaigns/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

singleton = {"get": "retrieve", "put": "update"}
router = SimpleRouter()
router.register("digests/sent", api.DigestViewSet, basename="digest")
urlpatterns = [
    path(
        "digests/settings/",
        api.DigestPolicyViewSet.as_view(singleton),
        name="digest-settings",
    ),
    path(
        "digests/preference/",
        api.DigestPreferenceViewSet.as_view(singleton),
        name="digest-preference",
    ),
    *router.urls,
]
