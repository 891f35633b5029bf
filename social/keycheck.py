"""Do the configured token keys read the tokens we stored?

A wrong `SOCIAL_TOKEN_KEYS` (a key dropped before rotation finished, a typo in a
deploy) makes every stored token unreadable at once. That is our mistake, not the
employees': nobody is told to reconnect, no connection is marked, no e-mail goes
out. Publishing and polling pause as "configuration" (`KeysMisconfigured`, a kind of
`RateLimited`: back in line later, never a failure) and resume by themselves once
the right key is back, because nothing was changed while they waited.

The check decrypts a sample of stored ciphertexts: when some exist and none of them
decrypts, the keys are wrong. One unreadable token among readable ones is that
connection's own problem (it needs reconnecting), as before.

It runs at startup (`manage.py check --database default`, which `migrate` runs too,
and when a worker starts), in /healthz, and whenever a token cannot be read.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import InvalidToken
from django.utils import timezone

from social.providers.base import RateLimited

log = logging.getLogger(__name__)

SAMPLE = 20
# A verdict of "wrong" is trusted this long; "right" is re-checked on any failure.
REMEMBER_SECONDS = 30.0
PAUSE = timedelta(minutes=1)
MESSAGE = "the configured token keys cannot read stored tokens (SOCIAL_TOKEN_KEYS)"


class KeysMisconfigured(RateLimited):
    """The token keys are wrong: wait for the operators, never blame the account."""

    def __init__(self) -> None:
        super().__init__(
            MESSAGE, retry_at=timezone.now() + PAUSE, bucket="configuration", status=None
        )


@dataclass(frozen=True)
class KeyState:
    ok: bool
    sampled: int
    readable: int


_verdict: tuple[float, KeyState] | None = None


def _stored_ciphertexts() -> list[str]:
    from advocacy.tenancy.context import system_context
    from social.models import Connection, MastodonInstanceApp

    with system_context("social: check the token keys against stored tokens"):
        tokens = list(
            Connection.objects.exclude(token_ciphertext="")
            .order_by("-updated_at")
            .values_list("token_ciphertext", flat=True)[:SAMPLE]
        )
        secrets = list(
            MastodonInstanceApp.objects.order_by("-created_at").values_list(
                "client_secret_ciphertext", flat=True
            )[:5]
        )
    return tokens + secrets


def check_keys() -> KeyState:
    """Decrypt a sample now (and remember the verdict)."""
    global _verdict
    from social.crypto import fernet

    keys = fernet()
    sample = _stored_ciphertexts()
    readable = 0
    for ciphertext in sample:
        try:
            keys.decrypt(ciphertext.encode())
        except InvalidToken:
            continue
        readable += 1
    state = KeyState(ok=not sample or readable > 0, sampled=len(sample), readable=readable)
    if not state.ok:
        log.error("token keys: none of %s stored tokens can be read: %s", len(sample), MESSAGE)
    _verdict = (time.monotonic(), state)
    return state


def keys_state() -> KeyState:
    """The last verdict if it said "wrong" recently, else a fresh check."""
    if _verdict is not None:
        at, state = _verdict
        if not state.ok and time.monotonic() - at < REMEMBER_SECONDS:
            return state
    return check_keys()


def keys_paused() -> bool:
    """Whether connections are paused for configuration (cheap while the keys are right)."""
    if _verdict is None or _verdict[1].ok:
        return False
    return not keys_state().ok


def readable() -> None:
    """A stored token was just read: the keys are right again (if they were not)."""
    global _verdict
    if _verdict is not None and not _verdict[1].ok:
        _verdict = None


def forget() -> None:
    global _verdict
    _verdict = None


def unreadable(exc: InvalidToken) -> None:
    """A stored token could not be read: raise `KeysMisconfigured` when it is the keys."""
    if not keys_state().ok:
        raise KeysMisconfigured() from exc


def health_check() -> dict:
    """For /healthz (runs in a worker thread, so it closes its connection)."""
    from django.db import connection

    try:
        state = check_keys()
    finally:
        connection.close()
    result = {"ok": state.ok, "sampled": state.sampled, "readable": state.readable}
    if not state.ok:
        result["error"] = "configuration"
    return result


def token_keys_check(app_configs=None, databases=None, **kwargs) -> list:
    """System check (database tag): warns at startup that connections are paused."""
    from django.core.checks import Warning as CheckWarning
    from django.db import DatabaseError

    if not databases or "default" not in databases:
        return []
    try:
        state = check_keys()
    except DatabaseError:
        return []  # not migrated yet: nothing stored to read
    if state.ok:
        return []
    return [
        CheckWarning(
            f"None of {state.sampled} stored tokens can be read with SOCIAL_TOKEN_KEYS.",
            hint="Restore the key that encrypted them (keys are newest first; keep old keys "
            "until `manage.py rotate_social_tokens` has run). Publishing and polling are "
            "paused as 'configuration' meanwhile and resume by themselves.",
            id="social.W010",
        )
    ]


def on_worker_ready(**kwargs) -> None:
    from django.db import DatabaseError

    try:
        check_keys()  # logs an error when the keys are wrong
    except DatabaseError:
        log.warning("token keys: the database could not be asked at worker start")


def connect() -> None:
    """Wire the startup checks and the /healthz check (SocialConfig.ready)."""
    from celery.signals import worker_ready
    from django.core.checks import Tags, register

    from advocacy.health import register_check

    register(token_keys_check, Tags.database)
    worker_ready.connect(on_worker_ready, weak=False)
    register_check("token_keys", health_check)
