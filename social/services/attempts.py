"""Connecting without calling out from a web request.

Every step of connecting that calls an address outside Chorus (registering Chorus's
app on a Mastodon instance a person typed, signing in to Bluesky on the account's
own server, exchanging a consent code) is recorded as a `ConnectAttempt` by the web
request and run by a task (`social.run_connect_attempt`). The person's browser waits
on a small page that asks `connect_attempt_status` until the attempt is done."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.tasks import enqueue_on_commit
from social.crypto import decrypt_text, encrypt_text
from social.models import ConnectAttempt, MastodonInstanceApp, Network
from social.providers import base as provider_errors
from social.providers.base import ProviderError

from .connections import (
    _revoke_remote,
    connection_auth_finish,
    connection_connect_bluesky,
    instance_error_code,
    mastodon_app_for,
    mastodon_instance_clean,
)

log = logging.getLogger(__name__)

# An attempt nobody finished within this time is abandoned (the page says so).
ATTEMPT_MAX_AGE = timedelta(minutes=15)


# Finished attempts are kept this long (the waiting page reads them), then forgotten.
ATTEMPT_KEPT = timedelta(days=1)


def _queue(organization: Organization, attempt: ConnectAttempt) -> ConnectAttempt:
    from social.tasks import run_connect_attempt

    ConnectAttempt.objects.for_org(organization).filter(
        membership=attempt.membership, created_at__lt=timezone.now() - ATTEMPT_KEPT
    ).exclude(status=ConnectAttempt.Status.PENDING).delete()

    enqueue_on_commit(run_connect_attempt, organization_id=organization.pk, attempt_id=attempt.pk)
    return attempt


@transaction.atomic
def connect_attempt_register(
    *,
    organization: Organization,
    membership: Membership,
    instance_url: str,
    redirect_uri: str,
    next_url: str = "",
) -> ConnectAttempt:
    """Register Chorus's app on a Mastodon instance not known yet (`instance_url`
    as `mastodon_instance_parse` read it), in a task."""
    ensure_in_org(organization, membership)
    attempt = ConnectAttempt.objects.create(
        organization=organization,
        membership=membership,
        network=Network.MASTODON,
        step=ConnectAttempt.Step.REGISTER,
        instance_url=instance_url[:300],
        redirect_uri=redirect_uri[:500],
        next_url=next_url[:500],
    )
    return _queue(organization, attempt)


@transaction.atomic
def connect_attempt_login(
    *,
    organization: Organization,
    membership: Membership,
    handle: str,
    app_password: str,
    next_url: str = "",
) -> ConnectAttempt:
    """Sign in to Bluesky in a task: the handle names the server Chorus calls."""
    ensure_in_org(organization, membership)
    attempt = ConnectAttempt.objects.create(
        organization=organization,
        membership=membership,
        network=Network.BLUESKY,
        step=ConnectAttempt.Step.LOGIN,
        handle=handle[:300],
        secret_ciphertext=encrypt_text(app_password),
        next_url=next_url[:500],
    )
    return _queue(organization, attempt)


@transaction.atomic
def connect_attempt_finish(
    *,
    organization: Organization,
    membership: Membership,
    pending: dict,
    code: str,
) -> ConnectAttempt:
    """Exchange the code a consent page sent back, in a task (`pending` is what
    `connection_auth_start` kept in the person's session)."""
    ensure_in_org(organization, membership)
    app = None
    if pending.get("instance_app_id"):
        app = MastodonInstanceApp.objects.filter(pk=pending["instance_app_id"]).first()
    attempt = ConnectAttempt.objects.create(
        organization=organization,
        membership=membership,
        network=pending["network"],
        step=ConnectAttempt.Step.FINISH,
        instance_app=app,
        instance_url=app.instance_url if app else "",
        redirect_uri=str(pending.get("redirect_uri", ""))[:500],
        secret_ciphertext=encrypt_text(
            json.dumps({"code": code, "code_verifier": pending.get("code_verifier")})
        ),
        next_url=str(pending.get("next") or "")[:500],
    )
    return _queue(organization, attempt)


def connect_attempt_is_stale(attempt: ConnectAttempt) -> bool:
    return (
        attempt.status == ConnectAttempt.Status.PENDING
        and timezone.now() - attempt.created_at > ATTEMPT_MAX_AGE
    )


def connect_attempt_run(*, organization: Organization, attempt_id: int) -> str | None:
    """The task's work: make the call, record the outcome. Idempotent: an attempt
    that is no longer pending (a redelivered task) is left as it is."""
    with transaction.atomic():
        attempt = (
            ConnectAttempt.objects.for_org(organization)
            .select_for_update()
            .filter(pk=attempt_id)
            .first()
        )
        if attempt is None or attempt.status != ConnectAttempt.Status.PENDING:
            return attempt.status if attempt else None
        if connect_attempt_is_stale(attempt) and attempt.step != ConnectAttempt.Step.REVOKE:
            _fail(attempt, kind="expired")
            return attempt.status
        try:
            _run(organization, attempt)
        except ValidationError as err:  # the instance checks: a kind the page puts in words
            _fail(attempt, kind="instance", code=instance_error_code(err))
        except ProviderError as err:
            _fail(
                attempt,
                kind=type(err).__name__,
                code=str(err.code or ""),
                status=err.status,
                message=err.message,
            )
        else:
            attempt.status = ConnectAttempt.Status.DONE
            attempt.secret_ciphertext = ""
            attempt.save()
        return attempt.status


def _run(organization: Organization, attempt: ConnectAttempt) -> None:
    membership = attempt.membership
    if attempt.step == ConnectAttempt.Step.REGISTER:
        attempt.instance_app = mastodon_app_for(
            instance_url=mastodon_instance_clean(instance_url=attempt.instance_url),
            redirect_uri=attempt.redirect_uri,
        )
    elif attempt.step == ConnectAttempt.Step.LOGIN:
        attempt.connection = connection_connect_bluesky(
            organization=organization,
            membership=membership,
            handle=attempt.handle,
            app_password=decrypt_text(attempt.secret_ciphertext),
        )
    elif attempt.step == ConnectAttempt.Step.REVOKE:
        if attempt.connection is not None:
            _revoke_remote(attempt.connection, attempt.secret_ciphertext)
    else:
        secret = json.loads(decrypt_text(attempt.secret_ciphertext))
        attempt.connection = connection_auth_finish(
            organization=organization,
            membership=membership,
            pending={
                "network": attempt.network,
                "instance_app_id": attempt.instance_app_id,
                "code_verifier": secret.get("code_verifier"),
                "redirect_uri": attempt.redirect_uri,
            },
            code=secret["code"],
        )


def _fail(
    attempt: ConnectAttempt,
    *,
    kind: str,
    code: str = "",
    status: int | None = None,
    message: str = "",
) -> None:
    attempt.status = ConnectAttempt.Status.FAILED
    attempt.secret_ciphertext = ""  # the app password or code is used once, kept never
    attempt.error_kind = kind[:40]
    attempt.error_code = code[:100]
    attempt.error_status = status if status and 0 < status < 1000 else None
    attempt.error_message = message[:500]
    attempt.save()


def connect_attempt_error(attempt: ConnectAttempt) -> Exception | None:
    """The provider error a failed attempt recorded, rebuilt for `messages.explain`
    (None for the instance checks and expired attempts, which have their own words)."""
    if attempt.status != ConnectAttempt.Status.FAILED:
        return None
    if attempt.error_kind == "KeysMisconfigured":
        from social.keycheck import KeysMisconfigured

        return KeysMisconfigured()
    cls = getattr(provider_errors, attempt.error_kind, None)
    if not (isinstance(cls, type) and issubclass(cls, ProviderError)):
        return None
    if issubclass(cls, provider_errors.RateLimited):
        return cls(
            attempt.error_message,
            retry_at=timezone.now(),
            bucket="connect",
            status=attempt.error_status,
            network=attempt.network,
        )
    try:
        return cls(
            attempt.error_message,
            status=attempt.error_status,
            network=attempt.network,
            code=attempt.error_code or None,
        )
    except TypeError:  # an error kind with its own signature: the general words
        return ProviderError(attempt.error_message, network=attempt.network)
