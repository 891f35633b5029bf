"""The live APIs' rules the sandbox enforces, each with its documentation
source, and the per-run policy (which clients are partners, which plan an X
app is on, daily caps) tests change through ``POST /_control/policy``.

The sandbox is the conformance suite: when a network changes a rule, the
change goes here first, with its source, and the adapters follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from social.providers.facebook import GRAPH_VERSION_EXPIRY

# -- LinkedIn ------------------------------------------------------------------------
# Products decide scopes. Self-serve "Sign In with LinkedIn using OpenID
# Connect" grants openid/profile/email and "Share on LinkedIn" grants
# w_member_social; the member analytics scopes belong to the vetted Community
# Management API. A scope the app's products do not grant is refused at
# consent with error=unauthorized_scope_error.
# https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow
# https://learn.microsoft.com/linkedin/marketing/community-management/members/post-statistics
LINKEDIN_SELF_SERVE = ("openid", "profile", "email", "w_member_social")
LINKEDIN_CMA = ("r_member_postAnalytics", "r_member_profileAnalytics", "r_member_social")
# Programmatic refresh tokens are issued to approved Marketing/Community
# Management partners only; everyone else gets a 60-day access token.
# https://learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens
LINKEDIN_PARTNER_CLIENT = "chorus-linkedin-partner"

# -- X -------------------------------------------------------------------------------
# POST /2/tweets has 24-hour caps per user and per app besides the 15-minute
# window, reported in x-user-limit-24hour-* and x-app-limit-24hour-*.
# https://docs.x.com/x-api/fundamentals/rate-limits
X_USER_DAILY_POSTS = 100
X_APP_DAILY_POSTS = 1667
# An app whose plan has no read access gets 403 client-forbidden /
# client-not-enrolled on lookups. https://docs.x.com/x-api/getting-started/pricing
X_FORBIDDEN_TYPE = "https://api.twitter.com/2/problems/client-forbidden"

# -- Facebook ------------------------------------------------------------------------
# Graph API versions and the day each stops being served.
# https://developers.facebook.com/docs/graph-api/changelog/versions/
# A call to an expired version is served as the oldest available one
# (developers.facebook.com/docs/graph-api/guides/versioning), so the sandbox
# answers it the same way and the system check warns ahead of the date.
GRAPH_VERSIONS = GRAPH_VERSION_EXPIRY
# post_impressions* were removed on 2025-11-15 for all versions; asking for
# one answers (#100) invalid metric and fails the whole request.
# https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics
# https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/
FACEBOOK_REMOVED_METRICS = {
    "post_impressions": "post_media_view",
    "post_impressions_unique": "post_total_media_view_unique",
    "post_impressions_paid_unique": None,
    "post_impressions_organic_unique": None,
    "post_impressions_viral_unique": None,
}

# -- Mastodon ------------------------------------------------------------------------
# configuration.statuses.max_characters is each instance's own.
# https://docs.joinmastodon.org/entities/Instance/#statuses
MASTODON_MAX_CHARACTERS = 500


@dataclass
class Policy:
    linkedin_scopes: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "chorus-linkedin": LINKEDIN_SELF_SERVE,
            LINKEDIN_PARTNER_CLIENT: LINKEDIN_SELF_SERVE + LINKEDIN_CMA,
        }
    )
    linkedin_partners: set[str] = field(default_factory=lambda: {LINKEDIN_PARTNER_CLIENT})
    x_user_daily_posts: int = X_USER_DAILY_POSTS
    x_app_daily_posts: int = X_APP_DAILY_POSTS
    x_clients_without_reads: set[str] = field(default_factory=set)
    mastodon_max_characters: int = MASTODON_MAX_CHARACTERS

    def update(self, body: dict[str, object]) -> None:
        """Apply a control request: only known fields, with their types."""
        for name, value in body.items():
            current = getattr(self, name)  # AttributeError for unknown names
            if isinstance(current, int):
                setattr(self, name, int(value))  # type: ignore[call-overload]
            elif isinstance(current, set):
                setattr(self, name, {str(v) for v in value})  # type: ignore[attr-defined]
            elif isinstance(current, dict):
                setattr(self, name, {str(k): tuple(v) for k, v in value.items()})  # type: ignore[attr-defined]

    def as_json(self) -> dict[str, object]:
        return {
            "linkedin_scopes": {k: list(v) for k, v in self.linkedin_scopes.items()},
            "linkedin_partners": sorted(self.linkedin_partners),
            "x_user_daily_posts": self.x_user_daily_posts,
            "x_app_daily_posts": self.x_app_daily_posts,
            "x_clients_without_reads": sorted(self.x_clients_without_reads),
            "mastodon_max_characters": self.mastodon_max_characters,
        }


def graph_version_retired(version: str | None, now: datetime) -> bool:
    """Unknown or expired Graph versions are not served (no version = the oldest served)."""
    if not version:
        return False
    expires = GRAPH_VERSIONS.get(version)
    return expires is None or expires <= now
