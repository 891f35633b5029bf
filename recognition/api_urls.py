"""Recognition and rewards: API under /api/v1/orgs/<org_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("recognition/ledger", api.LedgerViewSet, basename="recognition-ledger")
router.register("recognition/shoutouts", api.ShoutOutViewSet, basename="recognition-shoutout")
router.register("recognition/rewards", api.RewardViewSet, basename="recognition-reward")
router.register("recognition/redemptions", api.RedemptionViewSet, basename="recognition-redemption")
router.register("recognition/flags", api.GamingFlagViewSet, basename="recognition-flag")
router.register("recognition/badges", api.BadgeViewSet, basename="recognition-badge")

urlpatterns = [
    path("recognition/leaderboard/", api.LeaderboardView.as_view(), name="recognition-leaderboard"),
    path("recognition/liability/", api.LiabilityView.as_view(), name="recognition-liability"),
    path("recognition/summary/", api.SummaryView.as_view(), name="recognition-summary"),
    *router.urls,
]
