"""Writes about people and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from advocacy.audit.services import audit_record
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization

from .models import ApiToken, User

TOKEN_PREFIX = "chorus_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, organization: Organization, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=organization,
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        key_hash=hash_token(raw),
    )
    audit_record(organization=organization, actor=user, action="api_token.created", target=token)
    return token, raw


def api_token_revoke(*, organization: Organization, token: ApiToken, actor=None) -> None:
    ensure_in_org(organization, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            organization=organization,
            actor=actor or token.user,
            action="api_token.revoked",
            target=token,
        )


def user_set_language(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def sessions_end(*, user: User) -> int:
    """End every stored session of this person, on every device (what they left in one,
    such as a composer's draft, goes with it); returns how many. Sessions are found by
    reading each unexpired one: a rare act (erasing an account), not a hot path."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore
    if not hasattr(store, "get_model_class"):
        return 0  # sessions kept only in a cache or a cookie cannot be listed
    ended = 0
    unexpired = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in unexpired.iterator(chunk_size=1000):
        if store().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
