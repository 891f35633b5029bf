"""Mastodon adapter. Every instance is its own network: the app registers
per instance (register_app) and the provider is built with that instance's
URL and credentials. Tokens do not expire and cannot be refreshed; a 401
means the person revoked access. Publishing honours Idempotency-Key."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import requests
from requests_oauthlib import OAuth2Session

from advocacy import lengths

from .base import (
    MetricsSnapshot,
    Permanent,
    Profile,
    ProviderError,
    PublishResult,
    RateLimitInfo,
    ReauthRequired,
    RecentPost,
    ShareRequest,
    TokenExpired,
    TokenSet,
    Transient,
    classify_response,
)
from .common import DEFAULT_TIMEOUT, BaseProvider, parse_time

DEFAULT_SCOPES = ("read", "write:statuses")
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")


def register_app(
    instance_url: str,
    *,
    client_name: str,
    redirect_uris: Sequence[str],
    scopes: Sequence[str] = DEFAULT_SCOPES,
    website: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    post: Callable[..., Any] | None = None,
) -> tuple[str, str]:
    """Register Chorus on an instance; store the (client_id, client_secret) per instance.

    `post(url, data=, timeout=)` sends the form; Chorus passes the core's outbound
    gate for instances a person typed."""
    data = {
        "client_name": client_name,
        "redirect_uris": " ".join(redirect_uris),
        "scopes": " ".join(scopes),
    }
    if website:
        data["website"] = website
    try:
        resp = (post or OAuth2Session().post)(
            instance_url.rstrip("/") + "/api/v1/apps", data=data, timeout=timeout
        )
    except requests.RequestException as exc:
        raise Transient(
            f"Mastodon instance unreachable: {type(exc).__name__}", network="mastodon"
        ) from None
    err = classify_response(resp, network="mastodon", bucket="mastodon:apps")
    if err is not None:
        raise err
    try:
        app = resp.json()
        return str(app["client_id"]), str(app["client_secret"])
    except (ValueError, KeyError, TypeError):
        raise Transient(
            "Mastodon app registration answered without credentials", network="mastodon"
        ) from None


def html_to_text(content: str) -> str:
    text = content.replace("<br>", "\n").replace("<br />", "\n").replace("</p><p>", "\n\n")
    return html.unescape(_TAG.sub("", text)).strip()


class MastodonProvider(BaseProvider):
    key = "mastodon"
    capabilities = frozenset(
        {
            "publish",
            "idempotent_publish",
            "metrics.reactions",
            "metrics.comments",
            "metrics.reposts",
            "comments.text",
        }
    )
    max_metrics_batch = 1
    authorize_path = "/oauth/authorize"
    token_path = "/oauth/token"
    uses_pkce = True
    outbound_gated = True  # the instance is whatever server the person typed

    def finish_auth(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> tuple[TokenSet, Profile]:
        token = self.token_set(
            self.exchange_code(code, code_verifier, redirect_uri),
            instance=self.config.api_base_url,
            max_characters=self.max_characters(),
        )
        acct = self.json(
            self.call(
                token, "GET", self.api_url("/api/v1/accounts/verify_credentials"), bucket="accounts"
            )
        )
        return token, Profile(
            external_id=str(acct["id"]),
            handle=str(acct.get("acct") or acct.get("username", "")),
            display_name=str(acct.get("display_name") or acct.get("username", "")),
            followers=acct.get("followers_count"),
            profile_url=str(acct.get("url", "")),
        )

    def max_characters(self) -> int | None:
        """The instance's configuration.statuses.max_characters (GET /api/v2/instance,
        docs.joinmastodon.org/methods/instance/#v2); None when it does not say."""
        try:
            resp = self.session().get(self.api_url("/api/v2/instance"), timeout=self.timeout)
            value = resp.json()["configuration"]["statuses"]["max_characters"]
            return int(value) if resp.status_code == 200 else None
        except (requests.RequestException, ValueError, KeyError, TypeError):
            return None

    def refresh(self, token: TokenSet) -> TokenSet:
        raise ReauthRequired("Mastodon tokens cannot be refreshed; connect again", network=self.key)

    def publish(self, token: TokenSet, post: ShareRequest) -> PublishResult:
        text = (
            post.text
            if not post.link_url or post.link_url in post.text
            else f"{post.text}\n\n{post.link_url}"
        )
        # Each instance sets its own maximum (read at connection time); without
        # it the instance itself is the judge.
        limit = token.extra.get("max_characters")
        size = lengths.measure(text, lengths.MASTODON, limit=int(limit) if limit else None)
        if limit and not size.ok:
            raise Permanent(f"Not sent: {size.problem()}", network=self.key, code="too_long")
        headers = {"Idempotency-Key": post.idempotency_key} if post.idempotency_key else None
        resp = self.call(
            token,
            "POST",
            self.api_url("/api/v1/statuses"),
            bucket="statuses",
            data={
                "status": text,
                "visibility": "public",
                # ISO 639-1 of the content (POST /api/v1/statuses `language`)
                **({"language": post.language} if post.language else {}),
            },
            headers=headers,
        )
        status = self.json(resp)
        return PublishResult(
            external_id=str(status["id"]), url=str(status.get("url") or status.get("uri", ""))
        )

    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]:
        """The account's latest statuses (GET /api/v1/accounts/:id/statuses)."""
        acct = self.json(
            self.call(
                token, "GET", self.api_url("/api/v1/accounts/verify_credentials"), bucket="accounts"
            )
        )
        resp = self.call(
            token,
            "GET",
            self.api_url(f"/api/v1/accounts/{acct['id']}/statuses"),
            bucket="statuses",
            params={
                "limit": max(1, min(limit, 40)),  # Mastodon pages at most 40
                "exclude_replies": "true",
                "exclude_reblogs": "true",
            },
        )
        out = []
        for status in self.json(resp) or []:
            text = html_to_text(str(status.get("content") or ""))
            card = status.get("card") or {}
            found = _URL.findall(text)
            out.append(
                RecentPost(
                    external_id=str(status["id"]),
                    url=str(status.get("url") or status.get("uri", "")),
                    text=text,
                    link_url=card.get("url") or (found[0] if found else None),
                    created_at=parse_time(status.get("created_at")),
                )
            )
        return out

    def revoke(self, token: TokenSet) -> None:
        self.revoke_rfc7009("/oauth/revoke", token)

    def fetch_metrics(self, token: TokenSet, ids: Sequence[str]) -> list[MetricsSnapshot]:
        if len(ids) > self.max_metrics_batch:
            raise Permanent("Mastodon statuses are read one at a time", network=self.key)
        out = []
        for status_id in ids:
            try:
                status = self.json(
                    self.call(
                        token,
                        "GET",
                        self.api_url(f"/api/v1/statuses/{status_id}"),
                        bucket="statuses",
                    )
                )
            except Permanent as err:
                if err.status == 404:  # deleted: nothing to measure any more
                    continue
                raise
            texts: list[str] = []
            if status.get("replies_count"):
                context = self.json(
                    self.call(
                        token,
                        "GET",
                        self.api_url(f"/api/v1/statuses/{status_id}/context"),
                        bucket="statuses",
                    )
                )
                texts = [
                    html_to_text(d.get("content", ""))
                    for d in context.get("descendants", [])
                    if d.get("in_reply_to_id") == str(status_id)
                ]
            out.append(
                MetricsSnapshot(
                    external_id=str(status_id),
                    impressions=None,  # Mastodon does not count views
                    reach=None,
                    reactions=status.get("favourites_count"),
                    comments=status.get("replies_count"),
                    reposts=status.get("reblogs_count"),
                    clicks=None,
                    comment_texts=texts,
                )
            )
        return out

    def classify(self, resp: requests.Response, bucket: str) -> ProviderError | None:
        err = super().classify(resp, bucket)
        if isinstance(err, TokenExpired):  # tokens never expire: 401 means revoked
            return ReauthRequired(err.message, status=err.status, network=self.key)
        return err

    def rate_limit_from_headers(self, resp: requests.Response) -> RateLimitInfo | None:
        h = resp.headers
        if "X-RateLimit-Reset" not in h:
            return None
        try:
            reset_at = datetime.fromisoformat(h["X-RateLimit-Reset"].replace("Z", "+00:00"))
            return RateLimitInfo(
                self.bucket_for(resp),
                int(h.get("X-RateLimit-Remaining", 0)),
                int(h.get("X-RateLimit-Limit", 0)),
                reset_at,
            )
        except ValueError:
            return None
