"""Campaigns and sharing: API under /api/v1/orgs/<org_slug>/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("campaigns/campaigns", api.CampaignViewSet, basename="campaign")
router.register("campaigns/feed", api.FeedViewSet, basename="campaign-feed")
router.register("campaigns/shares", api.ShareViewSet, basename="share")
urlpatterns = [*router.urls, path("", include("campaigns.digests.api_urls"))]
