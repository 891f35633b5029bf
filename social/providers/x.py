"""X (Twitter) API v2 adapter: OAuth 2 with PKCE, 2 h tokens (refresh needs
offline.access and rotates), posts, and metrics for up to 100 posts a call.
Non-public metrics (link clicks, impressions as the author sees them) exist
only for the author's posts younger than 30 days; older ones fall back to
public metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import requests
from requests.auth import HTTPBasicAuth

from advocacy import lengths

from .base import (
    MetricsSnapshot,
    NotSupported,
    Permanent,
    Profile,
    ProviderError,
    PublishResult,
    RateLimitInfo,
    RecentPost,
    ShareRequest,
    TokenSet,
    Transient,
)
from .common import BaseProvider, parse_time, utc_from_epoch

DEFAULT_SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access")
_FIELD_AUTH = "https://api.twitter.com/2/problems/not-authorized-for-field"
# 403 for an app whose plan does not include the endpoint (reads on a
# write-only plan): https://docs.x.com/x-api/getting-started/pricing
_CLIENT_FORBIDDEN = "https://api.twitter.com/2/problems/client-forbidden"
PLAN_WITHOUT_READS = "x_plan_without_reads"


class XProvider(BaseProvider):
    key = "x"
    capabilities = frozenset(
        {
            "publish",
            "refresh",
            "metrics.impressions",
            "metrics.reactions",
            "metrics.comments",
            "metrics.reposts",
            "metrics.clicks",
        }
    )
    max_metrics_batch = 100
    authorize_path = "/i/oauth2/authorize"
    token_path = "/2/oauth2/token"
    uses_pkce = True

    def token_request_kwargs(self) -> dict[str, Any]:
        # Confidential clients authenticate with HTTP Basic; public ones
        # (PKCE only) send their client_id in the body.
        if self.config.client_secret:
            return {"auth": HTTPBasicAuth(self.config.client_id, self.config.client_secret)}
        return {"include_client_id": True}

    def finish_auth(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> tuple[TokenSet, Profile]:
        token = self.token_set(self.exchange_code(code, code_verifier, redirect_uri))
        profile = self.profile(token)
        return replace(
            token,
            extra={**token.extra, "user_id": profile.external_id, "handle": profile.handle},
        ), profile

    def refresh(self, token: TokenSet) -> TokenSet:
        return self.token_set(self.refresh_tokens(token), previous=token)

    def profile(self, token: TokenSet) -> Profile:
        resp = self.call(
            token,
            "GET",
            self.api_url("/2/users/me"),
            bucket="users.me",
            params={"user.fields": "public_metrics"},
        )
        user = self.json(resp).get("data") or {}
        if "id" not in user:
            raise Transient("X users/me answered without a user", network=self.key)
        return Profile(
            external_id=str(user["id"]),
            handle=user.get("username", ""),
            display_name=user.get("name", ""),
            followers=(user.get("public_metrics") or {}).get("followers_count"),
            profile_url=f"https://x.com/{user.get('username', '')}",
        )

    def publish(self, token: TokenSet, post: ShareRequest) -> PublishResult:
        text = (
            post.text
            if not post.link_url or post.link_url in post.text
            else f"{post.text} {post.link_url}"
        )
        size = lengths.measure(text, lengths.X)
        if not size.ok:
            raise Permanent(f"Not sent: {size.problem()}", network=self.key, code="too_long")
        resp = self.call(
            token, "POST", self.api_url("/2/tweets"), bucket="tweets.create", json={"text": text}
        )
        data = self.json(resp).get("data") or {}
        if "id" not in data:
            raise Transient("X accepted the post but returned no id", network=self.key)
        handle = token.extra.get("handle") or "i"
        return PublishResult(
            external_id=str(data["id"]), url=f"https://x.com/{handle}/status/{data['id']}"
        )

    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]:
        """The user's latest posts (GET /2/users/:id/tweets), t.co links expanded."""
        user_id = token.extra.get("user_id") or self.profile(token).external_id
        resp = self.call(
            token,
            "GET",
            self.api_url(f"/2/users/{user_id}/tweets"),
            bucket="users.tweets",
            params={
                "max_results": max(5, min(limit, 100)),  # X accepts 5 to 100
                "tweet.fields": "created_at,entities",
                "exclude": "replies,retweets",
            },
        )
        handle = token.extra.get("handle") or "i"
        out = []
        for tweet in self.json(resp).get("data") or []:
            text = str(tweet.get("text", ""))
            links = []
            for url in (tweet.get("entities") or {}).get("urls") or []:
                expanded = url.get("expanded_url") or url.get("url")
                if url.get("url") and expanded:
                    text = text.replace(url["url"], expanded)
                    links.append(expanded)
            out.append(
                RecentPost(
                    external_id=str(tweet["id"]),
                    url=f"https://x.com/{handle}/status/{tweet['id']}",
                    text=text,
                    link_url=links[0] if links else None,
                    created_at=parse_time(tweet.get("created_at")),
                )
            )
        return out

    def revoke(self, token: TokenSet) -> None:
        # Confidential clients authenticate with HTTP Basic, as at the token endpoint.
        self.revoke_rfc7009("/2/oauth2/revoke", token, basic_auth=bool(self.config.client_secret))

    def fetch_metrics(self, token: TokenSet, ids: Sequence[str]) -> list[MetricsSnapshot]:
        if len(ids) > self.max_metrics_batch:
            raise Permanent(
                f"X looks up at most {self.max_metrics_batch} posts a call", network=self.key
            )
        if not ids:
            return []
        found, refused = self._lookup(token, ids, "public_metrics,non_public_metrics")
        if refused:
            public, _ = self._lookup(token, refused, "public_metrics")
            found.update(public)
        return [found[i] for i in ids if i in found]

    def _lookup(
        self, token: TokenSet, ids: Sequence[str], fields: str
    ) -> tuple[dict[str, MetricsSnapshot], list[str]]:
        resp = self.call(
            token,
            "GET",
            self.api_url("/2/tweets"),
            bucket="tweets.lookup",
            params={"ids": ",".join(ids), "tweet.fields": fields},
        )
        body = self.json(resp)
        out = {}
        for tweet in body.get("data") or []:
            pub = tweet.get("public_metrics") or {}
            private = tweet.get("non_public_metrics")
            out[str(tweet["id"])] = MetricsSnapshot(
                external_id=str(tweet["id"]),
                impressions=(private or pub).get("impression_count"),
                reach=None,
                reactions=pub.get("like_count"),
                comments=pub.get("reply_count"),
                reposts=_sum(pub.get("retweet_count"), pub.get("quote_count")),
                clicks=private.get("url_link_clicks") if private else None,
                comment_texts=None,  # replies need the paid search endpoint
            )
        refused = [
            str(e["resource_id"]) for e in body.get("errors") or [] if e.get("type") == _FIELD_AUTH
        ]
        return out, refused

    def classify(self, resp: requests.Response, bucket: str) -> ProviderError | None:
        if resp.status_code == 403:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            if isinstance(body, dict) and body.get("type") == _CLIENT_FORBIDDEN:
                # Not the person's fault and not worth retrying: the X app's
                # plan does not include this endpoint (reads cost extra).
                return NotSupported(
                    f"X: this app's plan does not include {bucket} "
                    f"({body.get('reason', 'client-forbidden')}); metrics are unavailable",
                    status=403,
                    network=self.key,
                    code=PLAN_WITHOUT_READS,
                )
        return super().classify(resp, bucket)

    def rate_limit_from_headers(self, resp: requests.Response) -> RateLimitInfo | None:
        """The tightest of the 15-minute window and the 24-hour user and app
        caps (x-user-limit-24hour-*, x-app-limit-24hour-*); an exhausted
        daily cap wins so nobody retries every 15 minutes for a day."""
        h = resp.headers
        found: list[RateLimitInfo] = []
        for prefix, suffix in (
            ("x-rate-limit", ""),
            ("x-user-limit-24hour", ":24h-user"),
            ("x-app-limit-24hour", ":24h-app"),
        ):
            if f"{prefix}-reset" not in h:
                continue
            try:
                found.append(
                    RateLimitInfo(
                        self.bucket_for(resp) + suffix,
                        int(h.get(f"{prefix}-remaining", 0)),
                        int(h.get(f"{prefix}-limit", 0)),
                        utc_from_epoch(h[f"{prefix}-reset"]),
                    )
                )
            except ValueError:
                continue
        if not found:
            return None
        exhausted = [info for info in found if info.remaining <= 0]
        if exhausted:
            return max(exhausted, key=lambda info: info.reset_at)
        return min(found, key=lambda info: info.remaining)


def _sum(*values: int | None) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None
