"""Writes about people and their API tokens."""

from __future__ import annotations

import hashlib
import secrets

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
