"""Machinery shared by the adapters: OAuth 2 sessions with PKCE, token
exchange and refresh, authenticated calls with timeouts, and turning
responses into the error taxonomy."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error
from oauthlib.oauth2 import TokenExpiredError as OAuthlibTokenExpired
from requests_oauthlib import OAuth2Session

from advocacy.outbound_requests import OutboundBlocked, mount

from .base import (
    REFRESH_EXPIRES_AT,
    AuthStart,
    NotSupported,
    Permanent,
    ProviderConfig,
    ProviderError,
    RateLimited,
    RateLimitInfo,
    ReauthRequired,
    RecentPost,
    TokenExpired,
    TokenSet,
    Transient,
    classify_response,
)

DEFAULT_TIMEOUT = 15.0


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) per RFC 7636."""
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    return verifier, challenge


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def utc_from_epoch(value: float | str) -> datetime:
    return datetime.fromtimestamp(float(value), tz=UTC)


def parse_time(value: Any) -> datetime | None:
    """A network's timestamp (ISO 8601 with Z or +0000, or epoch
    milliseconds) as an aware datetime; None when absent or unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return utc_from_epoch(value / 1000)
    text = str(value).strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"  # Facebook's +0000
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class BaseProvider:
    """Subclasses set the class attributes and implement the network calls."""

    key: str = ""
    capabilities: frozenset[str] = frozenset()
    max_metrics_batch: int = 1
    authorize_path: str = ""
    token_path: str = ""
    uses_pkce: bool = False
    scope_separator: str = " "
    # LinkedIn serves its token and revocation endpoints on the consent host
    # (www.linkedin.com), not on the API host; the others on the API host.
    token_on_auth_host: bool = False
    # Adapters whose servers a person names (a Mastodon instance, a Bluesky PDS)
    # send every request through the core's outbound gate, except to the origins
    # the operator configured (`trusted_origins`).
    outbound_gated: bool = False

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config
        self.timeout = float(config.extra.get("timeout", DEFAULT_TIMEOUT))
        # Callers register callbacks here to see every API answer (e.g. to
        # sync rate-limit buckets from its headers) without patching us.
        self.response_observers: list[Callable[[requests.Response], None]] = []
        # oauthlib refuses plain http; the sandbox on loopback is the one
        # place that is allowed, and never in production (the Django side
        # passes allow_insecure_transport=False there).
        if (
            config.extra.get("allow_insecure_transport", True)
            and _is_loopback(config.api_base_url)
            and _is_loopback(config.auth_base_url or config.api_base_url)
        ):
            os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

    # -- sessions ----------------------------------------------------------------

    def trusted_origins(self) -> tuple[str, ...]:
        """Operator-configured origins that skip the gate (the sandbox, fixed hosts)."""
        return tuple(self.config.extra.get("trusted_origins") or ())

    def session(self, *args: Any, **kwargs: Any) -> OAuth2Session:
        """Every session an adapter sends with; gated where a person names the server."""
        session = OAuth2Session(*args, **kwargs)
        if self.outbound_gated:
            mount(session, trusted=self.trusted_origins())
        return session

    def blocked(self, exc: OutboundBlocked) -> ProviderError:
        """The gate's refusal in words that tell nothing about ports."""
        if exc.refused:
            return Permanent(f"{self.key}: {exc}", network=self.key, code="not_public")
        return Transient(f"{self.key}: {exc}", network=self.key)

    # -- URLs --------------------------------------------------------------------

    def auth_url(self, path: str) -> str:
        return (self.config.auth_base_url or self.config.api_base_url).rstrip("/") + path

    def api_url(self, path: str) -> str:
        return self.config.api_base_url.rstrip("/") + path

    def token_url(self, path: str | None = None) -> str:
        path = path or self.token_path
        return self.auth_url(path) if self.token_on_auth_host else self.api_url(path)

    # -- OAuth -------------------------------------------------------------------

    def start_auth(self, redirect_uri: str) -> AuthStart:
        session = OAuth2Session(
            self.config.client_id,
            redirect_uri=redirect_uri,
            scope=self.scope_separator.join(self.config.scopes),
        )
        extra: dict[str, str] = {}
        verifier = None
        if self.uses_pkce:
            verifier, challenge = pkce_pair()
            extra = {"code_challenge": challenge, "code_challenge_method": "S256"}
        url, state = session.authorization_url(self.auth_url(self.authorize_path), **extra)
        return AuthStart(url=url, state=state, code_verifier=verifier)

    def token_request_kwargs(self) -> dict[str, Any]:
        """How the client authenticates at the token endpoint: body by default."""
        return {"include_client_id": True, "client_secret": self.config.client_secret or None}

    def exchange_code(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> dict[str, Any]:
        session = self._token_session(redirect_uri=redirect_uri)
        kwargs = self.token_request_kwargs()
        if code_verifier:
            kwargs["code_verifier"] = code_verifier
        return self._token_call(
            lambda: session.fetch_token(self.token_url(), code=code, timeout=self.timeout, **kwargs)
        )

    def refresh_tokens(self, token: TokenSet, **extra: Any) -> dict[str, Any]:
        if not token.refresh_token:
            raise ReauthRequired(
                f"{self.key} gave no refresh token; connect again", network=self.key
            )
        session = self._token_session()
        kwargs = self.token_request_kwargs()
        kwargs.pop("include_client_id", None)
        return self._token_call(
            lambda: session.refresh_token(
                self.token_url(),
                refresh_token=token.refresh_token,
                timeout=self.timeout,
                client_id=self.config.client_id,
                **kwargs,
                **extra,
            ),
            refreshing=True,
        )

    def _token_session(self, redirect_uri: str | None = None) -> OAuth2Session:
        session = self.session(self.config.client_id, redirect_uri=redirect_uri)

        def check(resp: requests.Response) -> requests.Response:
            # Read the answer before oauthlib does: its parser turns 5xx pages
            # and odd bodies into confusing errors.
            if resp.status_code >= 400:
                raise self.classify_token_error(resp)
            try:
                resp.json()
            except ValueError:
                raise Transient(
                    f"{self.key} token endpoint sent a body that is not JSON", network=self.key
                ) from None
            return resp

        session.register_compliance_hook("access_token_response", check)
        session.register_compliance_hook("refresh_token_response", check)
        return session

    def _token_call(
        self, call: Callable[[], dict[str, Any]], *, refreshing: bool = False
    ) -> dict[str, Any]:
        try:
            return dict(call())
        except ProviderError as err:
            if refreshing and isinstance(err, Permanent | TokenExpired):
                raise ReauthRequired(
                    f"{self.key} refused the refresh: {err.message}",
                    status=err.status,
                    network=self.key,
                ) from None
            raise
        except Warning as warn:
            # oauthlib raises when the granted scopes differ from the asked
            # ones (or are comma-separated); the token is still good.
            token = getattr(warn, "token", None)
            if token is None:
                raise Permanent(f"{self.key} token exchange: {warn}", network=self.key) from None
            return dict(token)
        except OutboundBlocked as exc:
            raise self.blocked(exc) from None
        except requests.Timeout:
            raise Transient(f"{self.key} token endpoint timed out", network=self.key) from None
        except requests.ConnectionError as exc:
            raise Transient(
                f"{self.key} token endpoint unreachable: {type(exc).__name__}", network=self.key
            ) from None
        except OAuth2Error as exc:
            raise Permanent(
                f"{self.key} token exchange failed: {exc.error}", network=self.key
            ) from None

    def classify_token_error(self, resp: requests.Response) -> ProviderError:
        err = classify_response(resp, network=self.key, bucket=f"{self.key}:oauth")
        assert err is not None
        if isinstance(err, TokenExpired):  # 401 at the token endpoint: bad client credentials
            return Permanent(err.message, status=err.status, network=self.key)
        return err

    def token_set(
        self, raw: dict[str, Any], previous: TokenSet | None = None, **extra: Any
    ) -> TokenSet:
        scope = raw.get("scope") or (previous.scopes if previous else ())
        if isinstance(scope, str):
            scope = [scope]
        scopes = tuple(s for part in scope for s in str(part).replace(",", " ").split() if s)
        expires_at = utc_from_epoch(raw["expires_at"]) if raw.get("expires_at") else None
        if not raw.get("expires_in") and not raw.get("expires_at"):
            expires_at = None
        if raw.get("refresh_token_expires_in"):
            # LinkedIn's partner refresh tokens end a year after consent, however often used.
            extra = {
                REFRESH_EXPIRES_AT: int(
                    datetime.now(tz=UTC).timestamp() + float(raw["refresh_token_expires_in"])
                ),
                **extra,
            }
        return TokenSet(
            access_token=raw["access_token"],
            refresh_token=raw.get("refresh_token")
            or (previous.refresh_token if previous else None),
            expires_at=expires_at,
            scopes=scopes,
            extra={**(previous.extra if previous else {}), **extra},
        )

    # -- API calls ---------------------------------------------------------------

    def session_for(self, token: TokenSet) -> OAuth2Session:
        # No expiry in the dict: oauthlib would refuse to send an expired
        # token itself; we decide that ourselves in call().
        return self.session(
            self.config.client_id,
            token={"access_token": token.access_token, "token_type": "Bearer"},
        )

    def call(
        self,
        token: TokenSet,
        method: str,
        url: str,
        *,
        bucket: str,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        if token.expired():
            raise TokenExpired(
                f"{self.key} access token expired at {token.expires_at:%Y-%m-%d %H:%M}Z",
                network=self.key,
            )
        try:
            resp = self.session_for(token).request(
                method, url, headers=headers, timeout=self.timeout, **kwargs
            )
        except OAuthlibTokenExpired:
            raise TokenExpired(f"{self.key} access token expired", network=self.key) from None
        except OutboundBlocked as exc:
            raise self.blocked(exc) from None
        except requests.Timeout:
            raise Transient(
                f"{self.key} timed out after {self.timeout:g}s on {bucket}", network=self.key
            ) from None
        except requests.ConnectionError as exc:
            raise Transient(
                f"{self.key} unreachable ({type(exc).__name__})", network=self.key
            ) from None
        for observe in self.response_observers:
            observe(resp)
        err = self.classify(resp, bucket)
        if err is not None:
            raise err
        return resp

    def classify(self, resp: requests.Response, bucket: str) -> ProviderError | None:
        """Network-specific reading first (override), then the generic one."""
        err = classify_response(resp, network=self.key, bucket=f"{self.key}:{bucket}")
        if isinstance(err, RateLimited):
            info = self.rate_limit_from_headers(resp)
            if info is not None:
                err.retry_at = info.reset_at
        return err

    def json(self, resp: requests.Response) -> Any:
        try:
            return resp.json()
        except ValueError:
            # A truncated or garbled body is usually a proxy or a deploy in
            # progress on their side: retry later rather than crash.
            raise Transient(
                f"{self.key} sent malformed JSON ({len(resp.content)} bytes)",
                status=resp.status_code,
                network=self.key,
            ) from None

    def rate_limit_from_headers(self, resp: requests.Response) -> RateLimitInfo | None:
        return None

    # -- reconciliation and revocation ---------------------------------------------

    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]:
        raise NotSupported(f"{self.key} cannot list an account's posts", network=self.key)

    def revoke(self, token: TokenSet) -> None:
        """Tell the network to forget this grant; NotSupported where it has no endpoint."""
        raise NotSupported(f"{self.key} has no token revocation endpoint", network=self.key)

    def revoke_rfc7009(self, path: str, token: TokenSet, *, basic_auth: bool = False) -> None:
        """POST each token of the set to an RFC 7009 revocation endpoint."""
        config = self.config
        for value in filter(None, (token.access_token, token.refresh_token)):
            data = {"token": value, "client_id": config.client_id}
            if not basic_auth and config.client_secret:
                data["client_secret"] = config.client_secret
            auth = (config.client_id, config.client_secret) if basic_auth else None
            try:
                resp = self.session().post(
                    self.token_url(path), data=data, auth=auth, timeout=self.timeout
                )
            except OutboundBlocked as exc:
                raise self.blocked(exc) from None
            except requests.RequestException as exc:
                raise Transient(
                    f"{self.key} revocation endpoint unreachable: {type(exc).__name__}",
                    network=self.key,
                ) from None
            # RFC 7009: an unknown or already revoked token is still a 200.
            err = classify_response(resp, network=self.key, bucket=f"{self.key}:revoke")
            if err is not None:
                raise err

    def bucket_for(self, resp: requests.Response) -> str:
        """Endpoint-level bucket name; callers add the connection to scope it."""
        path = urlsplit(resp.request.url or "").path if resp.request is not None else ""
        base = urlsplit(self.config.api_base_url).path.rstrip("/")
        if base and path.startswith(base):
            path = path[len(base) :]
        return f"{self.key}:{resp.request.method if resp.request is not None else 'GET'} {path}"
