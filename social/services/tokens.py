"""Fresh tokens for a connection: refreshed ahead of expiry under a
per-connection row lock, one refresh and one retry on a 401, and a
connection marked for reconnecting when the network says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization
from social import conf
from social.crypto import decrypt_text, decrypt_token, encrypt_token
from social.models import Connection
from social.providers.base import ReauthRequired, SocialProvider, TokenExpired, TokenSet

T = TypeVar("T")

# Refresh this long before the network would start refusing the token.
REFRESH_AHEAD = timedelta(minutes=5)
# A network says how long a refresh token has left in whole seconds, counted from its
# own clock, and the answer takes time to arrive: an end computed again from a later
# answer wanders by a second or so while the token's real end has not moved.
RENEWABLE_UNTIL_JITTER = timedelta(minutes=1)


def connection_provider(connection: Connection) -> SocialProvider:
    """The adapter for this connection (Mastodon: its own instance and app)."""
    if connection.network == "mastodon":
        app = connection.instance_app
        if app is None:
            raise ReauthRequired("This Mastodon connection has no instance; connect it again")
        return conf.mastodon_provider(
            instance_url=app.instance_url,
            client_id=app.client_id,
            client_secret=decrypt_text(app.client_secret_ciphertext),
        )
    return conf.provider(connection.network)


def _can_refresh(provider: SocialProvider, token: TokenSet) -> bool:
    return "refresh" in provider.capabilities and bool(token.refresh_token)


def renewable_until(token: TokenSet) -> datetime | None:
    """When Chorus can no longer renew this access by itself: the access token's end
    without a refresh token (LinkedIn self-serve, X without offline.access), the refresh
    token's own end where the network gives one (LinkedIn partners, Bluesky), else never."""
    if token.refresh_token:
        return token.refresh_expires_at
    return token.expires_at


def connection_token(
    *,
    organization: Organization,
    connection: Connection,
    stale: TokenSet | None = None,
) -> TokenSet:
    """A token set good for the next call.

    `stale`: a token the network just refused (401); it is refreshed even if
    it looks valid. Raises ReauthRequired (and marks the connection) when
    only the employee can fix it; Transient when the refresh endpoint is down.
    """
    ensure_in_org(organization, connection)
    try:
        if connection.status == Connection.Status.DISCONNECTED:
            raise ReauthRequired("This account was disconnected; connect it again")
        token = decrypt_token(connection.token_ciphertext)
        if stale is None and not token.expired(leeway=REFRESH_AHEAD.total_seconds()):
            return token
        provider = connection_provider(connection)
        if stale is None and not token.expired() and not _can_refresh(provider, token):
            return token  # close to expiry with no way to renew: the expiry warning covers it
        return _refresh_locked(organization, connection, provider, stale or token)
    except ReauthRequired as err:
        from .connections import connection_mark_reauth

        connection_mark_reauth(organization=organization, connection=connection, error=err.message)
        raise


def _refresh_locked(
    organization: Organization,
    connection: Connection,
    provider: SocialProvider,
    seen: TokenSet,
) -> TokenSet:
    # The row lock makes concurrent workers refresh once: rotating refresh
    # tokens (X, Bluesky) are single use, a second refresh would log the person out.
    with transaction.atomic():
        row = Connection.objects.for_org(organization).select_for_update().get(pk=connection.pk)
        current = decrypt_token(row.token_ciphertext)
        if current.access_token != seen.access_token and not current.expired(
            leeway=REFRESH_AHEAD.total_seconds()
        ):
            _copy_token_fields(row, connection)
            return current  # someone refreshed while we waited for the lock
        fresh = provider.refresh(current)
        if not fresh.refresh_token and current.refresh_token:
            # Some networks answer a refresh without a new refresh token: keep the old one.
            fresh = replace(fresh, refresh_token=current.refresh_token)
        fresh = replace(fresh, extra={**current.extra, **fresh.extra})
        row.token_ciphertext = encrypt_token(fresh)
        row.expires_at = fresh.expires_at
        row.scopes = " ".join(fresh.scopes) or row.scopes
        warned_about = row.renewable_until
        row.renewable_until = renewable_until(fresh)
        # A new access token under the same ending refresh token (LinkedIn) does not
        # move the end the employee was warned about: warned once per expiry.
        if row.renewable_until is None or (
            warned_about is not None and row.renewable_until > warned_about + RENEWABLE_UNTIL_JITTER
        ):
            row.expiry_warned_at = None
            if row.status == Connection.Status.EXPIRING:
                row.status = Connection.Status.ACTIVE
        row.save(
            update_fields=[
                "token_ciphertext",
                "expires_at",
                "scopes",
                "status",
                "expiry_warned_at",
                "renewable_until",
                "updated_at",
            ]
        )
    _copy_token_fields(row, connection)
    return fresh


def _copy_token_fields(source: Connection, target: Connection) -> None:
    for name in (
        "token_ciphertext",
        "expires_at",
        "scopes",
        "status",
        "expiry_warned_at",
        "renewable_until",
    ):
        setattr(target, name, getattr(source, name))


def with_token(
    *,
    organization: Organization,
    connection: Connection,
    call: Callable[[TokenSet], T],
) -> T:
    """Run `call(token)`; on a 401 refresh once and retry once.

    A second 401, or a network saying access is gone, marks the connection
    for reconnecting and raises ReauthRequired."""
    token = connection_token(organization=organization, connection=connection)
    try:
        try:
            return call(token)
        except TokenExpired:
            pass
        token = connection_token(organization=organization, connection=connection, stale=token)
        try:
            return call(token)
        except TokenExpired as err:
            raise ReauthRequired(
                f"{err.message} (again after renewing access)",
                status=err.status,
                network=err.network,
            ) from None
    except ReauthRequired as err:
        from .connections import connection_mark_reauth

        connection_mark_reauth(organization=organization, connection=connection, error=err.message)
        raise


def token_expires_soon(connection: Connection, *, within: timedelta) -> bool:
    return connection.expires_at is not None and connection.expires_at <= timezone.now() + within
