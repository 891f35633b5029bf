"""The provider contract: value types, the SocialProvider protocol and the
error taxonomy every caller (publishing, polling, connection health) relies
on. Pure Python, no Django: adapters only speak HTTP."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple, Protocol, runtime_checkable

import requests


@dataclass(frozen=True)
class ProviderConfig:
    """One network's app credentials and endpoints.

    ``auth_base_url`` hosts the consent page, ``api_base_url`` the API and
    token endpoints; for the sandbox both are ``http://127.0.0.1:8765/<key>``.
    ``extra`` holds per-network knobs (LinkedIn ``api_version``, Facebook
    ``graph_version``, ``timeout`` seconds, ...).
    """

    key: str
    client_id: str = ""
    client_secret: str = ""
    auth_base_url: str = ""
    api_base_url: str = ""
    scopes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthStart:
    url: str
    state: str
    code_verifier: str | None  # keep server-side (session) until finish_auth


# TokenSet.extra key: the refresh token's own expiry, seconds since the epoch.
REFRESH_EXPIRES_AT = "refresh_expires_at"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None  # None: does not expire
    scopes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # tokens never end up in logs or tracebacks
        return f"TokenSet(expires_at={self.expires_at!r}, scopes={self.scopes!r}, extra_keys={sorted(self.extra)})"

    @property
    def refresh_expires_at(self) -> datetime | None:
        """When the refresh token itself stops working, where the network says so
        (LinkedIn's `refresh_token_expires_in`, a Bluesky refresh JWT's exp)."""
        value = self.extra.get(REFRESH_EXPIRES_AT)
        return datetime.fromtimestamp(float(value), tz=UTC) if value else None

    def expired(self, now: datetime | None = None, leeway: float = 0) -> bool:
        if self.expires_at is None:
            return False
        return self.expires_at <= (now or datetime.now(tz=UTC)) + timedelta(seconds=leeway)


@dataclass(frozen=True)
class Profile:
    external_id: str
    handle: str
    display_name: str
    followers: int | None
    profile_url: str


@dataclass(frozen=True)
class ShareRequest:
    text: str
    link_url: str | None = None
    image_url: str | None = None
    idempotency_key: str | None = None  # honoured where the network supports one
    link_title: str | None = None  # link card, where the card is ours to build
    link_description: str | None = None
    language: str | None = None  # the content's language (ISO 639-1), where the network takes one


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    url: str


@dataclass(frozen=True)
class RecentPost:
    """One of the account's own recent posts, as the network lists it; what
    reconciliation compares a publication whose answer was lost against.
    ``text`` is plain text with links shown as posted (short links expanded
    where the network says what they stood for)."""

    external_id: str
    url: str
    text: str
    link_url: str | None = None
    created_at: datetime | None = None
    idempotency_key: str | None = None  # where a network echoes the key back


@dataclass(frozen=True)
class MetricsSnapshot:
    """One post's counters. A metric the network does not report is None,
    never 0, so dashboards can tell "nobody clicked" from "we can't know"."""

    external_id: str
    impressions: int | None = None
    reach: int | None = None
    reactions: int | None = None
    comments: int | None = None
    reposts: int | None = None
    clicks: int | None = None
    comment_texts: list[str] | None = None


class RateLimitInfo(NamedTuple):
    """Rate-limit headers in one shape; ``remaining``/``limit`` are calls, or
    percentage points where the network only reports usage (Facebook)."""

    bucket: str
    remaining: int
    limit: int
    reset_at: datetime


@runtime_checkable
class SocialProvider(Protocol):
    key: str  # "linkedin", "x", "facebook", "mastodon", "bluesky"
    capabilities: frozenset[str]  # "publish", "metrics.impressions", "metrics.clicks", ...
    max_metrics_batch: int  # X 100, Bluesky 25, Facebook 50, LinkedIn 1, Mastodon 1

    def start_auth(self, redirect_uri: str) -> AuthStart: ...
    def finish_auth(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> tuple[TokenSet, Profile]: ...
    def refresh(self, token: TokenSet) -> TokenSet: ...
    def publish(self, token: TokenSet, post: ShareRequest) -> PublishResult: ...
    def fetch_metrics(self, token: TokenSet, ids: Sequence[str]) -> list[MetricsSnapshot]: ...
    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]: ...
    def revoke(self, token: TokenSet) -> None: ...
    def rate_limit_from_headers(self, resp: requests.Response) -> RateLimitInfo | None: ...


# -- errors ----------------------------------------------------------------------


class ProviderError(Exception):
    """Base of everything an adapter raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        network: str = "",
        code: int | str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.network = network
        self.code = code  # the network's own error code, when it has one


class TokenExpired(ProviderError):
    """Refresh once (under a lock) and retry once."""


class ReauthRequired(ProviderError):
    """The person must connect again: revoked, refresh impossible or refused."""


class RateLimited(ProviderError):
    """Not a failure: cool the bucket down until ``retry_at`` and try then."""

    def __init__(
        self,
        message: str,
        *,
        retry_at: datetime,
        bucket: str,
        status: int | None = 429,
        network: str = "",
    ) -> None:
        super().__init__(message, status=status, network=network)
        self.retry_at = retry_at
        self.bucket = bucket


class Transient(ProviderError):
    """Worth retrying with backoff and jitter (5xx, timeouts, garbled bodies)."""


class Permanent(ProviderError):
    """Retrying the same request will fail the same way."""


class NotSupported(ProviderError):
    """The network has no such operation (or not for this kind of account)."""


def _now() -> datetime:
    return datetime.now(tz=UTC)


def retry_after(resp: requests.Response, default: float = 60) -> datetime:
    """When to come back, from Retry-After (seconds or HTTP date)."""
    value = resp.headers.get("Retry-After")
    if value:
        try:
            return _now() + timedelta(seconds=float(value))
        except ValueError:
            try:
                return parsedate_to_datetime(value)
            except (TypeError, ValueError):
                pass
    return _now() + timedelta(seconds=default)


def error_text(resp: requests.Response, limit: int = 300) -> str:
    """A short, human message out of an error body, whatever its shape."""
    try:
        body = resp.json()
    except ValueError:
        return (resp.text or resp.reason or "").strip()[:limit]
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return str(err.get("message") or err)[:limit]
        for key in ("message", "detail", "error_description", "title"):
            if body.get(key):
                return str(body[key])[:limit]
        if err:
            return str(err)[:limit]
    return json.dumps(body)[:limit]


def classify_response(
    resp: requests.Response, *, network: str = "", bucket: str = ""
) -> ProviderError | None:
    """The generic HTTP reading of a response; None when it succeeded.

    Adapters first apply what they know of their network's error bodies and
    fall back on this.
    """
    status = resp.status_code
    if status < 400:
        return None
    msg = f"{network or 'network'} answered {status}: {error_text(resp)}"
    if status == 401:
        return TokenExpired(msg, status=status, network=network)
    if status == 429:
        return RateLimited(
            msg, retry_at=retry_after(resp), bucket=bucket or network, network=network
        )
    if status == 426:
        return Permanent(msg, status=status, network=network)
    if status in (408, 425) or status >= 500:
        return Transient(msg, status=status, network=network)
    return Permanent(msg, status=status, network=network)
