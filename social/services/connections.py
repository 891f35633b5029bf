"""Connecting, disconnecting and watching an employee's social accounts."""

from __future__ import annotations

import ipaddress
import logging
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import events, outbound
from advocacy.tenancy.access import ensure_in_org, ensure_owned_by
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.services import onboarding_step_complete
from advocacy.tenancy.tasks import enqueue_on_commit
from social import conf, emails
from social.crypto import decrypt_text, decrypt_token, encrypt_text, encrypt_token
from social.models import Connection, ConnectionEvent, MastodonInstanceApp, Network
from social.providers.base import NotSupported, Profile, ProviderError, ReauthRequired, TokenSet
from social.providers.mastodon import register_app
from social.selectors import expiry_warning_window

from .tokens import _can_refresh, connection_provider, connection_token, renewable_until

log = logging.getLogger(__name__)

# An OAuth round trip left unfinished this long is abandoned.
AUTH_STATE_MAX_AGE = 15 * 60


def connection_event_record(
    *,
    organization: Organization,
    network: str,
    kind: str,
    message: str = "",
    membership: Membership | None = None,
    connection: Connection | None = None,
) -> ConnectionEvent:
    return ConnectionEvent.objects.create(
        organization=organization,
        network=network,
        kind=kind,
        message=message[:500],
        membership=membership or (connection.membership if connection else None),
        connection=connection,
    )


# --- connecting -------------------------------------------------------------------


def _instance_error(code: str) -> ValidationError:
    """A form error on the instance field; `code` says which words the page shows."""
    return ValidationError({"instance_url": ValidationError(INSTANCE_ERRORS[code](), code=code)})


INSTANCE_ERRORS = {
    "invalid": lambda: _("Enter your Mastodon server's address, like mastodon.social."),
    "not_public": lambda: _("That address is not a public Mastodon server."),
    "not_found": lambda: _("We could not find that server."),
    "unreachable": lambda: _(
        "We could not reach that Mastodon server. Check the address and try again."
    ),
}


def instance_error_code(err: ValidationError) -> str:
    """The code of a form error raised by the instance checks (\"invalid\" when unknown)."""
    for error in getattr(err, "error_dict", {}).get("instance_url", []):
        if error.code in INSTANCE_ERRORS:
            return error.code
    return "invalid"


def mastodon_instance_parse(*, instance_url: str) -> str:
    """The server address as Chorus will call it, read without any lookup (fit for a
    web request): https, a host and nothing else; a literal address must be public.
    Whether the name points at a public server is checked when it is called."""
    url = instance_url.strip().rstrip("/")
    if "://" not in url:
        url = "https://" + url
    if url == conf.default_mastodon_instance():
        return url
    parts = urlsplit(url)
    if (
        parts.scheme != "https"
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.username
    ):
        raise _instance_error("invalid")
    try:
        target = outbound.parse(url)
    except outbound.OutboundError:
        raise _instance_error("invalid") from None
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None and not outbound.address_allowed(str(literal), target.port):
        raise _instance_error("not_public")
    return f"https://{target.host_header}"


def mastodon_instance_clean(*, instance_url: str) -> str:
    """A Mastodon server address we may call: https on a public address, or
    the configured default (the sandbox in development). Resolves the name, so
    it runs in a task, never in a web request."""
    url = mastodon_instance_parse(instance_url=instance_url)
    if url == conf.default_mastodon_instance():
        return url
    try:
        # Chorus calls this server from inside our network: the core gate keeps it outside.
        target = outbound.check_url(url)
    except outbound.Refused:
        raise _instance_error("not_public") from None
    except outbound.InvalidURL:
        raise _instance_error("invalid") from None
    except outbound.OutboundError:
        raise _instance_error("not_found") from None
    return f"https://{target.host_header}"


def _gated_post(url: str, *, data: dict, timeout: float) -> outbound.Response:
    """Registration goes through the outbound gate: checked address, no redirects, capped."""
    try:
        return outbound.request(
            "POST",
            url,
            body=urlencode(data).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            timeout=timeout,
            max_bytes=64 * 1024,
        )
    except outbound.Refused:
        raise _instance_error("not_public") from None
    except outbound.OutboundError:
        # One answer for refused, reset, silent and slow: it tells nothing about ports.
        raise _instance_error("unreachable") from None


def mastodon_app_known(*, instance_url: str, redirect_uri: str) -> MastodonInstanceApp | None:
    """Chorus's app on the instance if it is registered already (no call made)."""
    return MastodonInstanceApp.objects.filter(
        instance_url=instance_url, redirect_uri=redirect_uri
    ).first()


def mastodon_app_for(*, instance_url: str, redirect_uri: str) -> MastodonInstanceApp:
    """Chorus's app on the instance, registered on first use and kept. Calls the
    instance: for tasks (`social.run_connect_attempt`), never a web request."""
    app = mastodon_app_known(instance_url=instance_url, redirect_uri=redirect_uri)
    if app is not None:
        return app
    scopes = conf.provider_config("mastodon").scopes
    # Building an adapter first lets it allow plain http for a loopback
    # instance (the sandbox); register_app alone would refuse it.
    conf.mastodon_provider(instance_url=instance_url, client_id="", client_secret="")
    client_id, client_secret = register_app(
        instance_url,
        client_name="Chorus",
        redirect_uris=[redirect_uri],
        scopes=scopes,
        website=settings.SITE_URL,
        # The configured instance (the sandbox in development) is ours, not a tenant's.
        post=None if instance_url == conf.default_mastodon_instance() else _gated_post,
    )
    try:
        with transaction.atomic():
            return MastodonInstanceApp.objects.create(
                instance_url=instance_url,
                redirect_uri=redirect_uri,
                client_id=client_id,
                client_secret_ciphertext=encrypt_text(client_secret),
            )
    except IntegrityError:  # registered by a concurrent task: use theirs
        return MastodonInstanceApp.objects.get(instance_url=instance_url, redirect_uri=redirect_uri)


def connection_auth_start(
    *,
    organization: Organization,
    membership: Membership,
    network: str,
    redirect_uri: str,
    instance_app: MastodonInstanceApp | None = None,
) -> tuple[str, dict[str, Any]]:
    """The consent URL to send the employee to, and what to keep server-side
    (in their session) until the network sends them back. Builds a URL only: a
    Mastodon instance's app must be registered already (`mastodon_app_known`)."""
    if network == Network.MASTODON:
        if instance_app is None:
            raise ValueError("register the app on the instance first (a connect attempt)")
        provider = conf.mastodon_provider(
            instance_url=instance_app.instance_url,
            client_id=instance_app.client_id,
            client_secret=decrypt_text(instance_app.client_secret_ciphertext),
        )
    else:
        provider = conf.provider(network)
    start = provider.start_auth(redirect_uri)
    pending = {
        "state": start.state,
        "organization_id": organization.pk,
        "membership_id": membership.pk,
        "network": network,
        "code_verifier": start.code_verifier,
        "redirect_uri": redirect_uri,
        "instance_app_id": instance_app.pk if instance_app else None,
        "started": time.time(),
    }
    return start.url, pending


def connection_auth_finish(
    *,
    organization: Organization,
    membership: Membership,
    pending: dict[str, Any],
    code: str,
) -> Connection:
    """Exchange the code the network sent back and store the connection.

    Provider errors are recorded for admins and re-raised for the view."""
    network = pending["network"]
    app = None
    try:
        if pending.get("instance_app_id"):
            app = MastodonInstanceApp.objects.get(pk=pending["instance_app_id"])
            provider = conf.mastodon_provider(
                instance_url=app.instance_url,
                client_id=app.client_id,
                client_secret=decrypt_text(app.client_secret_ciphertext),
            )
        else:
            provider = conf.provider(network)
        token, profile = provider.finish_auth(
            code, pending.get("code_verifier"), pending["redirect_uri"]
        )
    except ProviderError as err:
        connection_event_record(
            organization=organization,
            membership=membership,
            network=network,
            kind=ConnectionEvent.Kind.ERROR,
            message=_("Connecting failed: %(reason)s") % {"reason": err.message},
        )
        raise
    return connection_save(
        organization=organization,
        membership=membership,
        network=network,
        token=token,
        profile=profile,
        instance_app=app,
    )


def connection_connect_bluesky(
    *, organization: Organization, membership: Membership, handle: str, app_password: str
) -> Connection:
    """Bluesky connects with an app password; only the session it opens is kept."""
    provider = conf.provider("bluesky")
    try:
        token, profile = provider.login(handle, app_password)  # type: ignore[attr-defined]
    except ProviderError as err:
        connection_event_record(
            organization=organization,
            membership=membership,
            network="bluesky",
            kind=ConnectionEvent.Kind.ERROR,
            message=_("Connecting failed: %(reason)s") % {"reason": err.message},
        )
        raise
    return connection_save(
        organization=organization,
        membership=membership,
        network="bluesky",
        token=token,
        profile=profile,
    )


@transaction.atomic
def connection_save(
    *,
    organization: Organization,
    membership: Membership,
    network: str,
    token: TokenSet,
    profile: Profile,
    instance_app: MastodonInstanceApp | None = None,
) -> Connection:
    """Store (or renew) the connection for this account; one account per network."""
    ensure_in_org(organization, membership)
    connection, _created = Connection.objects.for_org(organization).update_or_create(
        organization=organization,
        membership=membership,
        network=network,
        external_id=profile.external_id,
        defaults={
            "handle": profile.handle[:200],
            "display_name": profile.display_name[:200],
            "profile_url": profile.profile_url[:500],
            "followers": profile.followers,
            "scopes": " ".join(token.scopes)[:1000],
            "token_ciphertext": encrypt_token(token),
            "expires_at": token.expires_at,
            "renewable_until": renewable_until(token),
            "status": Connection.Status.ACTIVE,
            "last_error": "",
            "connected_at": timezone.now(),
            "instance_app": instance_app,
            "expiry_warned_at": None,
        },
    )
    # Another account of the same network is replaced: posts go to one account per network.
    for other in (
        Connection.objects.for_org(organization)
        .filter(membership=membership, network=network)
        .exclude(pk=connection.pk)
        .exclude(status=Connection.Status.DISCONNECTED)
    ):
        connection_disconnect(organization=organization, connection=other, actor=None)
    connection_event_record(
        organization=organization,
        connection=connection,
        network=network,
        kind=ConnectionEvent.Kind.CONNECTED,
        message=profile.handle,
    )
    onboarding_step_complete(organization=organization, step="connect_network")
    return connection


# --- disconnecting ------------------------------------------------------------------


def _revoke_remote(connection: Connection, ciphertext: str | None = None) -> None:
    """Ask the network to forget the grant, where it has a way to (the adapter's
    ``revoke``: X and Mastodon RFC 7009, LinkedIn's revoke, Bluesky deleteSession)."""
    ciphertext = connection.token_ciphertext if ciphertext is None else ciphertext
    if not ciphertext:
        return
    try:
        token = decrypt_token(ciphertext)
        connection_provider(connection).revoke(token)
    except NotSupported:
        pass  # Facebook Page tokens: nothing to revoke from Chorus's side
    except ProviderError as err:
        # Disconnecting must work even when the network is down: forgetting
        # the token locally already stops Chorus from using it.
        log.info("remote revoke failed for connection %s: %s", connection.pk, type(err).__name__)


def _revoke_in_task(organization: Organization, connection: Connection) -> None:
    """The network is asked by a task (`social.run_connect_attempt`): the encrypted
    grant moves to a revoke attempt, which forgets it once the network was asked."""
    from social.models import ConnectAttempt
    from social.tasks import run_connect_attempt

    if not connection.token_ciphertext:
        return
    attempt = ConnectAttempt.objects.create(
        organization=organization,
        membership=connection.membership,
        network=connection.network,
        step=ConnectAttempt.Step.REVOKE,
        connection=connection,
        instance_app=connection.instance_app,
        secret_ciphertext=connection.token_ciphertext,
    )
    enqueue_on_commit(run_connect_attempt, organization_id=organization.pk, attempt_id=attempt.pk)


@transaction.atomic
def connection_disconnect(
    *,
    organization: Organization,
    connection: Connection,
    actor: Membership | None,
    revoke_in_task: bool = False,
) -> Connection:
    """Forget the grant now; the network is asked to revoke it here (in tasks) or by a
    task queued for it (`revoke_in_task`: web requests call no network).

    `actor`: the person disconnecting, who may disconnect only their own account; None
    for Chorus itself (a replaced account, an erased person's grants)."""
    ensure_in_org(organization, connection, actor)
    if actor is not None:
        ensure_owned_by(actor, connection)
    if revoke_in_task:
        _revoke_in_task(organization, connection)
    else:
        _revoke_remote(connection)
    connection.status = Connection.Status.DISCONNECTED
    connection.token_ciphertext = ""
    connection.expires_at = None
    connection.renewable_until = None
    connection.last_error = ""
    connection.save(
        update_fields=[
            "status",
            "token_ciphertext",
            "expires_at",
            "renewable_until",
            "last_error",
            "updated_at",
        ]
    )
    connection_event_record(
        organization=organization,
        connection=connection,
        network=connection.network,
        kind=ConnectionEvent.Kind.DISCONNECTED,
    )
    return connection


# --- health -------------------------------------------------------------------------


def connection_mark_reauth(
    *, organization: Organization, connection: Connection, error: str
) -> Connection:
    """Only the employee can fix this: mark it (polling and publishing pause),
    keep the error for admins, and tell the employee once."""
    now = timezone.now()
    changed = (
        Connection.objects.for_org(organization)
        .filter(pk=connection.pk)
        .exclude(status__in=[Connection.Status.REAUTH_REQUIRED, Connection.Status.DISCONNECTED])
        .update(status=Connection.Status.REAUTH_REQUIRED, last_error=error[:500], updated_at=now)
    )
    connection.refresh_from_db(fields=["status", "last_error", "updated_at"])
    if changed:
        connection_event_record(
            organization=organization,
            connection=connection,
            network=connection.network,
            kind=ConnectionEvent.Kind.REAUTH_REQUIRED,
            message=error,
        )
        events.publish(
            events.SocialConnectionNeedsReconnect(
                organization_id=organization.pk,
                connection_id=connection.pk,
                membership_id=connection.membership_id,
                network=connection.network,
            )
        )
        transaction.on_commit(
            lambda: emails.send_connection_email(
                organization=organization, connection=connection, template="reconnect"
            )
        )
    return connection


def connection_expiry_warn(*, organization: Organization, now: datetime | None = None) -> int:
    """Tell employees, once per expiry, that access ends soon and Chorus cannot renew it:
    access tokens without a refresh token (LinkedIn self-serve, X without offline.access)
    and refresh tokens that end themselves (LinkedIn partners after a year, a Bluesky
    session unused for 90 days). A rotating refresh token is renewed here instead, which
    moves its end; access already over is marked for reconnecting. Returns how many were warned."""
    now = now or timezone.now()
    due = (
        Connection.objects.for_org(organization)
        .filter(
            status=Connection.Status.ACTIVE,
            renewable_until__isnull=False,
            renewable_until__lte=now + expiry_warning_window(),
            expiry_warned_at__isnull=True,
        )
        .select_related("membership__user", "instance_app")
    )
    warned = 0
    for connection in due:
        try:
            token = decrypt_token(connection.token_ciphertext)
            if connection.renewable_until <= now:
                raise ReauthRequired(
                    _("Access ended on %(when)s; connect the account again.")
                    % {"when": f"{connection.renewable_until:%Y-%m-%d %H:%M} UTC"}
                )
            if _can_refresh(connection_provider(connection), token):
                _renew(organization, connection, token)
                if (
                    connection.renewable_until is None
                    or connection.renewable_until > now + expiry_warning_window()
                ):
                    continue  # Chorus renewed it: the end moved out of sight
        except ReauthRequired as err:
            connection_mark_reauth(
                organization=organization, connection=connection, error=err.message
            )
            continue
        except ProviderError as err:
            log.info("expiry check of connection %s: %s", connection.pk, type(err).__name__)
            continue  # the network is down: look again at the next run
        if _warn_once(organization, connection, now):
            warned += 1
    return warned


def _renew(organization: Organization, connection: Connection, token: TokenSet) -> None:
    """Refresh now (the refresh lock and rules of `connection_token`); a rotating refresh
    token comes back with a new end, a fixed one (LinkedIn) with the same."""
    connection_token(organization=organization, connection=connection, stale=token)
    connection.refresh_from_db(fields=["renewable_until", "status", "expiry_warned_at"])


def _warn_once(organization: Organization, connection: Connection, now: datetime) -> bool:
    # A conditional update: two overlapping runs warn once.
    claimed = (
        Connection.objects.for_org(organization)
        .filter(pk=connection.pk, status=Connection.Status.ACTIVE, expiry_warned_at__isnull=True)
        .update(status=Connection.Status.EXPIRING, expiry_warned_at=now, updated_at=timezone.now())
    )
    if not claimed:
        return False
    connection.refresh_from_db(fields=["status", "expiry_warned_at", "updated_at"])
    connection_event_record(
        organization=organization,
        connection=connection,
        network=connection.network,
        kind=ConnectionEvent.Kind.EXPIRING,
        message=connection.renewable_until.isoformat() if connection.renewable_until else "",
    )
    transaction.on_commit(
        lambda: emails.send_connection_email(
            organization=organization, connection=connection, template="expiring"
        )
    )
    return True
