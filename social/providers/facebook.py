"""Facebook Pages adapter (Graph API). People connect a Page they manage:
the user token is exchanged for a long-lived one, whose Page token never
expires, so there is nothing to refresh. Usage comes as percentages in
X-App-Usage / X-Business-Use-Case-Usage; throttling is an error code, not a
429. Insights refresh daily."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from .base import (
    MetricsSnapshot,
    Permanent,
    Profile,
    ProviderError,
    PublishResult,
    RateLimited,
    RateLimitInfo,
    ReauthRequired,
    RecentPost,
    ShareRequest,
    TokenSet,
    Transient,
)
from .common import BaseProvider, parse_time

DEFAULT_SCOPES = ("pages_show_list", "pages_manage_posts", "pages_read_engagement", "read_insights")
# Set FACEBOOK_GRAPH_VERSION in production; v25.0 is served until 2028-07-29
# (developers.facebook.com/docs/graph-api/changelog/versions/).
DEFAULT_GRAPH_VERSION = "v25.0"
# The day each Graph API version stops being served (same page).
GRAPH_VERSION_EXPIRY: dict[str, datetime] = {
    "v19.0": datetime(2026, 5, 21, tzinfo=UTC),
    "v20.0": datetime(2026, 9, 24, tzinfo=UTC),
    "v21.0": datetime(2027, 1, 21, tzinfo=UTC),
    "v22.0": datetime(2027, 5, 20, tzinfo=UTC),
    "v23.0": datetime(2027, 10, 8, tzinfo=UTC),
    "v24.0": datetime(2028, 2, 18, tzinfo=UTC),
    "v25.0": datetime(2028, 7, 29, tzinfo=UTC),
    "v26.0": datetime(2099, 1, 1, tzinfo=UTC),  # "TBD" at the time of writing
}
# post_impressions / post_impressions_unique were removed on 2025-11-15; one
# removed metric fails the whole request with (#100). Their replacements:
# developers.facebook.com/docs/platforminsights/page/deprecated-metrics
INSIGHT_METRICS = ("post_media_view", "post_total_media_view_unique", "post_clicks")
_INSIGHTS_ERRORS = {10, 100, 200}
_THROTTLE_CODES = {4, 17, 32, 613, 80001}
_AUTH_CODES = {102, 190}
_PERMISSION_CODES = {10, 200}
_TRANSIENT_CODES = {1, 2}


class FacebookProvider(BaseProvider):
    key = "facebook"
    capabilities = frozenset(
        {
            "publish",
            "metrics.impressions",
            "metrics.reach",
            "metrics.reactions",
            "metrics.comments",
            "metrics.reposts",
            "metrics.clicks",
            "comments.text",
        }
    )
    max_metrics_batch = 50
    scope_separator = ","

    @property
    def version(self) -> str:
        return str(self.config.extra.get("graph_version") or DEFAULT_GRAPH_VERSION)

    @property
    def authorize_path(self) -> str:  # type: ignore[override]
        return f"/{self.version}/dialog/oauth"

    @property
    def token_path(self) -> str:  # type: ignore[override]
        return f"/{self.version}/oauth/access_token"

    def graph(self, path: str) -> str:
        return self.api_url(f"/{self.version}{path}")

    # -- auth ----------------------------------------------------------------------

    def finish_auth(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> tuple[TokenSet, Profile]:
        short = self.exchange_code(code, code_verifier, redirect_uri)
        long_lived = self._long_lived(short["access_token"])
        user = TokenSet(access_token=long_lived, scopes=self.config.scopes)
        pages = (
            self.json(
                self.call(
                    user,
                    "GET",
                    self.graph("/me/accounts"),
                    bucket="accounts",
                    params={"fields": "id,name,access_token,tasks"},
                )
            ).get("data")
            or []
        )
        wanted = self.config.extra.get("page_id")
        page = next((p for p in pages if not wanted or p.get("id") == wanted), None)
        if page is None:
            raise Permanent(
                "This Facebook account manages no Page that Chorus can post to", network=self.key
            )
        token = TokenSet(
            access_token=page["access_token"],
            refresh_token=None,
            expires_at=None,  # Page tokens from a long-lived user token do not expire
            scopes=self.config.scopes,
            extra={
                "page_id": page["id"],
                "page_name": page.get("name", ""),
                "pages": [{"id": p["id"], "name": p.get("name", "")} for p in pages],
            },
        )
        info = self.json(
            self.call(
                token,
                "GET",
                self.graph(f"/{page['id']}"),
                bucket="page",
                params={"fields": "id,name,followers_count,link,username"},
            )
        )
        profile = Profile(
            external_id=str(info.get("id", page["id"])),
            handle=str(info.get("username") or info.get("name", "")),
            display_name=str(info.get("name", "")),
            followers=info.get("followers_count"),
            profile_url=str(info.get("link") or f"https://www.facebook.com/{page['id']}"),
        )
        return token, profile

    def _long_lived(self, short_token: str) -> str:
        # POST, not GET, so neither secret nor token lands in a URL log.
        data = {
            "grant_type": "fb_exchange_token",
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "fb_exchange_token": short_token,
        }
        try:
            resp = self._token_session().post(
                self.api_url(self.token_path), data=data, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise Transient(
                f"Facebook token exchange failed: {type(exc).__name__}", network=self.key
            ) from None
        err = self.classify(resp, "oauth")
        if err is not None:
            raise err
        return str(self.json(resp)["access_token"])

    def refresh(self, token: TokenSet) -> TokenSet:
        raise ReauthRequired(
            "Facebook Page tokens cannot be refreshed; connect the Page again", network=self.key
        )

    # -- publishing ------------------------------------------------------------------

    def publish(self, token: TokenSet, post: ShareRequest) -> PublishResult:
        page_id = token.extra.get("page_id")
        if not page_id:
            raise ReauthRequired("Facebook connection has no Page; connect again", network=self.key)
        data = {"message": post.text}
        if post.link_url:
            data["link"] = post.link_url
        resp = self.call(token, "POST", self.graph(f"/{page_id}/feed"), bucket="feed", data=data)
        post_id = self.json(resp).get("id")
        if not post_id:
            raise Transient("Facebook accepted the post but returned no id", network=self.key)
        return PublishResult(external_id=str(post_id), url=f"https://www.facebook.com/{post_id}")

    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]:
        """The Page's latest posts (GET /{page-id}/posts); the shared link is
        the first attachment's unshimmed URL (the Post ``link`` field is gone
        for Pages since v3.3)."""
        page_id = token.extra.get("page_id")
        if not page_id:
            raise ReauthRequired("Facebook connection has no Page; connect again", network=self.key)
        resp = self.call(
            token,
            "GET",
            self.graph(f"/{page_id}/posts"),
            bucket="posts.list",
            params={
                "fields": "id,message,created_time,permalink_url,attachments{unshimmed_url,url}",
                "limit": max(1, min(limit, 100)),
            },
        )
        out = []
        for node in self.json(resp).get("data") or []:
            attachments = (node.get("attachments") or {}).get("data") or [{}]
            post_id = str(node["id"])
            out.append(
                RecentPost(
                    external_id=post_id,
                    url=str(node.get("permalink_url") or f"https://www.facebook.com/{post_id}"),
                    text=str(node.get("message") or ""),
                    link_url=attachments[0].get("unshimmed_url") or attachments[0].get("url"),
                    created_at=parse_time(node.get("created_time")),
                )
            )
        return out

    # -- metrics ---------------------------------------------------------------------

    def fields(self, token: TokenSet, *, insights: bool = True) -> str:
        fields = [
            "id",
            "shares",
            "reactions.summary(total_count).limit(0)",
            "comments.summary(total_count).limit(25){message}",
        ]
        if insights and "read_insights" in token.scopes:
            fields.append(f"insights.metric({','.join(INSIGHT_METRICS)})")
        return ",".join(fields)

    def fetch_metrics(self, token: TokenSet, ids: Sequence[str]) -> list[MetricsSnapshot]:
        if len(ids) > self.max_metrics_batch:
            raise Permanent(
                f"Facebook reads at most {self.max_metrics_batch} ids a call", network=self.key
            )
        if not ids:
            return []
        try:
            nodes = self._with_insights_fallback(token, ids)
        except Permanent as err:
            # One deleted post fails the whole ?ids= call (#803): then go one
            # by one and leave the missing ones out.
            if err.code != 803:
                raise
            nodes = {}
            for post_id in ids if len(ids) > 1 else ():
                try:
                    nodes.update(self._with_insights_fallback(token, [post_id]))
                except Permanent as one:
                    if one.code != 803:
                        raise
        return [_snapshot(pid, nodes[pid]) for pid in ids if pid in nodes]

    def _with_insights_fallback(self, token: TokenSet, ids: Sequence[str]) -> dict[str, Any]:
        """An insights error (a metric Meta removed, #100; insights permission
        gone, #10/#200) fails the whole batch: ask again without insights, so
        reactions, comments and shares still arrive and impressions are None."""
        try:
            return self._batch(token, ids)
        except (Permanent, ReauthRequired) as err:
            if err.code not in _INSIGHTS_ERRORS or "read_insights" not in token.scopes:
                raise
            return self._batch(token, ids, insights=False)

    def _batch(
        self, token: TokenSet, ids: Sequence[str], *, insights: bool = True
    ) -> dict[str, Any]:
        resp = self.call(
            token,
            "GET",
            self.graph("/"),
            bucket="posts",
            params={"ids": ",".join(ids), "fields": self.fields(token, insights=insights)},
        )
        body = self.json(resp)
        if not isinstance(body, dict):
            raise Transient(
                "Facebook answered the batch with something other than an object", network=self.key
            )
        return body

    # -- errors and usage ------------------------------------------------------------

    def classify(self, resp: requests.Response, bucket: str) -> ProviderError | None:
        if resp.status_code < 400:
            return None
        try:
            err = resp.json().get("error") or {}
        except (ValueError, AttributeError):
            err = {}
        code, sub = err.get("code"), err.get("error_subcode")
        msg = f"Facebook error {code}/{sub}: {err.get('message', resp.reason)}"
        out: ProviderError
        if code in _THROTTLE_CODES:
            info = self.rate_limit_from_headers(resp)
            retry_at = info.reset_at if info else datetime.now(tz=UTC) + timedelta(hours=1)
            out = RateLimited(
                msg,
                retry_at=retry_at,
                bucket=f"{self.key}:{bucket}",
                status=resp.status_code,
                network=self.key,
            )
        elif code in _AUTH_CODES or code in _PERMISSION_CODES:
            # Page tokens have no refresh: a dead or under-privileged one
            # means connecting the Page again.
            out = ReauthRequired(msg, status=resp.status_code, network=self.key)
        elif code in _TRANSIENT_CODES or err.get("is_transient") or resp.status_code >= 500:
            out = Transient(msg, status=resp.status_code, network=self.key)
        elif resp.status_code == 429:
            return super().classify(resp, bucket)
        else:
            out = Permanent(msg, status=resp.status_code, network=self.key)
        out.code = code
        return out

    def rate_limit_from_headers(self, resp: requests.Response) -> RateLimitInfo | None:
        now = datetime.now(tz=UTC)
        usage: dict[str, Any] | None = None
        regain = 0
        try:
            if "X-Business-Use-Case-Usage" in resp.headers:
                buc = json.loads(resp.headers["X-Business-Use-Case-Usage"])
                entries = [e for values in buc.values() for e in values]
                usage = max(entries, key=_pct) if entries else None
                regain = int((usage or {}).get("estimated_time_to_regain_access") or 0)
            elif "X-App-Usage" in resp.headers:
                usage = json.loads(resp.headers["X-App-Usage"])
        except (ValueError, AttributeError, TypeError):
            return None
        if usage is None:
            return None
        pct = _pct(usage)
        # Usage is a rolling one-hour window; without a regain estimate assume
        # the whole hour, the conservative reading.
        reset_at = now + (timedelta(minutes=regain) if regain else timedelta(hours=1))
        return RateLimitInfo(self.bucket_for(resp), max(0, 100 - pct), 100, reset_at)


def _pct(usage: dict[str, Any]) -> int:
    return max(int(usage.get(k) or 0) for k in ("call_count", "total_cputime", "total_time"))


def _snapshot(post_id: str, node: dict[str, Any]) -> MetricsSnapshot:
    insights = {
        i["name"]: i["values"][0]["value"] for i in (node.get("insights") or {}).get("data", [])
    }
    comments = node.get("comments") or {}
    return MetricsSnapshot(
        external_id=post_id,
        impressions=insights.get("post_media_view"),
        reach=insights.get("post_total_media_view_unique"),
        reactions=((node.get("reactions") or {}).get("summary") or {}).get("total_count"),
        comments=(comments.get("summary") or {}).get("total_count"),
        reposts=(node.get("shares") or {}).get("count", 0),  # Graph omits "shares" at zero
        clicks=insights.get("post_clicks"),
        comment_texts=[c["message"] for c in comments.get("data", []) if c.get("message")],
    )
