"""LinkedIn adapter: 3-legged OAuth, OpenID userinfo, the versioned Posts API
(dated LinkedIn-Version header, post URN in x-restli-id) and member post
analytics (r_member_postAnalytics), one post and one metric per call, which
is why the batch size is 1."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests

from .base import (
    MetricsSnapshot,
    NotSupported,
    Permanent,
    Profile,
    ProviderError,
    PublishResult,
    RateLimited,
    ReauthRequired,
    RecentPost,
    ShareRequest,
    TokenExpired,
    TokenSet,
    Transient,
    error_text,
    retry_after,
)
from .common import BaseProvider, parse_time

# What any app gets from the self-serve products "Sign In with LinkedIn using
# OpenID Connect" and "Share on LinkedIn". Asking for more without the
# product makes LinkedIn refuse consent (unauthorized_scope_error).
# https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow
DEFAULT_SCOPES = ("openid", "profile", "w_member_social")
# The Community Management API (vetted; opt in with SOCIAL_LINKEDIN_ANALYTICS
# once LinkedIn approved the app): member post analytics and follower counts.
# https://learn.microsoft.com/linkedin/marketing/community-management/members/post-statistics
ANALYTICS_SCOPES = ("r_member_postAnalytics", "r_member_profileAnalytics")
_QUERY_TYPES = ("IMPRESSION", "MEMBERS_REACHED", "REACTION", "COMMENT", "RESHARE")


def previous_month_version(now: datetime | None = None) -> str:
    now = now or datetime.now(tz=UTC)
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year}{month:02d}"


def next_utc_midnight(now: datetime | None = None) -> datetime:
    now = now or datetime.now(tz=UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


class LinkedInProvider(BaseProvider):
    key = "linkedin"
    capabilities = frozenset(
        {
            "publish",
            "refresh",
            "metrics.impressions",
            "metrics.reach",
            "metrics.reactions",
            "metrics.comments",
            "metrics.reposts",
            "comments.text",
        }
    )
    max_metrics_batch = 1
    authorize_path = "/oauth/v2/authorization"
    token_path = "/oauth/v2/accessToken"
    token_on_auth_host = True

    @property
    def api_version(self) -> str:
        # Pin a version in production settings; without one, use last month's
        # release, which LinkedIn serves for about a year.
        return str(self.config.extra.get("api_version") or previous_month_version())

    def rest_headers(self) -> dict[str, str]:
        return {"LinkedIn-Version": self.api_version, "X-Restli-Protocol-Version": "2.0.0"}

    # -- auth ----------------------------------------------------------------------

    def finish_auth(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> tuple[TokenSet, Profile]:
        token = self.token_set(self.exchange_code(code, code_verifier, redirect_uri))
        info = self.json(self.call(token, "GET", self.api_url("/v2/userinfo"), bucket="userinfo"))
        if not info.get("sub"):
            raise Transient("LinkedIn userinfo answered without a member id", network=self.key)
        followers = None
        if "r_member_profileAnalytics" in token.scopes:
            resp = self.call(
                token,
                "GET",
                self.api_url("/rest/memberFollowersCount"),
                bucket="followers",
                params={"q": "me"},
                headers=self.rest_headers(),
            )
            elements = self.json(resp).get("elements") or [{}]
            followers = elements[0].get("memberFollowersCount")
        token = replace(token, extra={**token.extra, "member_id": info["sub"]})
        profile = Profile(
            external_id=str(info["sub"]),
            handle=str(info.get("email") or info["sub"]),
            display_name=str(info.get("name", "")),
            followers=followers,
            profile_url="",  # OpenID userinfo does not expose the public profile URL
        )
        return token, profile

    def refresh(self, token: TokenSet) -> TokenSet:
        return self.token_set(self.refresh_tokens(token), previous=token)

    # -- publishing ------------------------------------------------------------------

    def publish(self, token: TokenSet, post: ShareRequest) -> PublishResult:
        member = token.extra.get("member_id")
        if not member:
            raise ReauthRequired(
                "LinkedIn connection has no member id; connect again", network=self.key
            )
        body: dict[str, Any] = {
            "author": f"urn:li:person:{member}",
            "commentary": _escape_commentary(post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if post.link_url:
            # Posts API, article content: `source` and `title` are required, the title is
            # what the card shows (LinkedIn does not read it from the page); the shared
            # content's title, the link itself only when there is none.
            # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#article
            article: dict[str, Any] = {
                "source": post.link_url,
                "title": post.link_title or post.link_url,
            }
            if post.link_description:
                article["description"] = post.link_description
            body["content"] = {"article": article}
        resp = self.call(
            token,
            "POST",
            self.api_url("/rest/posts"),
            bucket="posts.create",
            json=body,
            headers=self.rest_headers(),
        )
        urn = resp.headers.get("x-restli-id")
        if not urn:
            raise Transient("LinkedIn accepted the post but sent no x-restli-id", network=self.key)
        return PublishResult(external_id=urn, url=f"https://www.linkedin.com/feed/update/{urn}/")

    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]:
        """The member's latest posts (Posts API "find by author"). Reading a
        member's own posts is the restricted r_member_social permission."""
        member = token.extra.get("member_id")
        if not member or "r_member_social" not in token.scopes:
            raise NotSupported(
                "LinkedIn lists a member's posts only with the r_member_social scope",
                network=self.key,
            )
        resp = self.call(
            token,
            "GET",
            self.api_url("/rest/posts"),
            bucket="posts.find",
            params={
                "author": f"urn:li:person:{member}",
                "q": "author",
                "count": max(1, min(limit, 100)),
                "sortBy": "LAST_MODIFIED",
            },
            headers={**self.rest_headers(), "X-RestLi-Method": "FINDER"},
        )
        out = []
        for post in self.json(resp).get("elements") or []:
            urn = str(post.get("id") or "")
            if not urn:
                continue
            article = (post.get("content") or {}).get("article") or {}
            out.append(
                RecentPost(
                    external_id=urn,
                    url=f"https://www.linkedin.com/feed/update/{urn}/",
                    text=_unescape_commentary(str(post.get("commentary") or "")),
                    link_url=article.get("source"),
                    created_at=parse_time(post.get("publishedAt") or post.get("createdAt")),
                )
            )
        return out

    def revoke(self, token: TokenSet) -> None:
        self.revoke_rfc7009("/oauth/v2/revoke", token)

    # -- metrics ---------------------------------------------------------------------

    def fetch_metrics(self, token: TokenSet, ids: Sequence[str]) -> list[MetricsSnapshot]:
        if len(ids) > self.max_metrics_batch:
            raise Permanent("LinkedIn member analytics take one post per call", network=self.key)
        if "r_member_postAnalytics" not in token.scopes:
            raise NotSupported(
                "LinkedIn post analytics need the r_member_postAnalytics scope", network=self.key
            )
        return [self._one(token, urn) for urn in ids]

    def _one(self, token: TokenSet, urn: str) -> MetricsSnapshot:
        kind = "ugcPost" if ":ugcPost:" in urn else "share"
        counts: dict[str, int | None] = {}
        for query_type in _QUERY_TYPES:
            # Rest.li 2.0 wants the URN inside the tuple percent-encoded, the
            # parentheses and colon after the key left alone.
            query = f"q=entity&entity=({kind}:{quote(urn, safe='')})&queryType={query_type}&aggregation=TOTAL"
            resp = self.call(
                token,
                "GET",
                self.api_url(f"/rest/memberCreatorPostAnalytics?{query}"),
                bucket="memberCreatorPostAnalytics",
                headers=self.rest_headers(),
            )
            elements = self.json(resp).get("elements") or []
            counts[query_type] = sum(int(e.get("count", 0)) for e in elements) if elements else None
        texts = None
        if "r_member_social" in token.scopes:
            resp = self.call(
                token,
                "GET",
                self.api_url(f"/rest/socialActions/{quote(urn, safe='')}/comments"),
                bucket="socialActions.comments",
                params={"count": 50},
                headers=self.rest_headers(),
            )
            texts = [
                e["message"]["text"]
                for e in self.json(resp).get("elements") or []
                if e.get("message")
            ]
        return MetricsSnapshot(
            external_id=urn,
            impressions=counts["IMPRESSION"],
            reach=counts["MEMBERS_REACHED"],
            reactions=counts["REACTION"],
            comments=counts["COMMENT"],
            reposts=counts["RESHARE"],
            clicks=None,  # member analytics do not count link clicks
            comment_texts=texts,
        )

    # -- errors ----------------------------------------------------------------------

    def classify(self, resp: requests.Response, bucket: str) -> ProviderError | None:
        if resp.status_code == 426:
            return Permanent(
                f"LinkedIn retired API version {self.api_version} ({error_text(resp)}). Set a current YYYYMM "
                "as the linkedin provider's extra['api_version'] (LinkedIn serves each version for about a year).",
                status=426,
                network=self.key,
            )
        if resp.status_code == 401:
            code = _body_code(resp)
            if code == "REVOKED_ACCESS_TOKEN":
                return ReauthRequired(
                    "LinkedIn access was revoked by the member", status=401, network=self.key
                )
            return TokenExpired(
                f"LinkedIn token rejected ({code or 'unauthorized'})", status=401, network=self.key
            )
        if resp.status_code == 429:
            # LinkedIn sends no reset header; its day windows end at midnight UTC.
            retry_at = retry_after(resp) if "Retry-After" in resp.headers else next_utc_midnight()
            return RateLimited(
                f"LinkedIn throttled {bucket}: {error_text(resp)}",
                retry_at=retry_at,
                bucket=f"{self.key}:{bucket}",
                network=self.key,
            )
        return super().classify(resp, bucket)


def _body_code(resp: requests.Response) -> str | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


_RESERVED = set("\\|{}@[]()<>#*_~")


def _unescape_commentary(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _escape_commentary(text: str) -> str:
    """Posts API commentary is 'little text': these characters must be escaped
    or LinkedIn drops everything after them."""
    return "".join(f"\\{ch}" if ch in _RESERVED else ch for ch in text)
