"""SCIM bearer tokens: created by an owner, shown once, kept as a sha256, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from advocacy.audit.services import audit_record
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization

from .models import ScimToken

TOKEN_PREFIX = "chorus_scim_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def scim_token_create(*, organization: Organization, actor, name: str) -> tuple[ScimToken, str]:
    """The token row and the raw token (256 random bits), which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(
        organization=organization,
        name=name.strip()[:80],
        token_hash=_hash(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        created_by=getattr(actor, "user", actor),
    )
    audit_record(organization=organization, actor=actor, action="scim.token_created", target=token)
    return token, raw


@transaction.atomic
def scim_token_revoke(*, organization: Organization, actor, token: ScimToken) -> None:
    ensure_in_org(organization, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            organization=organization, actor=actor, action="scim.token_revoked", target=token
        )


def scim_token_authenticate(*, organization: Organization, raw: str) -> ScimToken | None:
    """The organization's live token whose hash matches, or None. Called inside the org context."""
    if not raw or not raw.isascii():
        return None
    digest = _hash(raw)
    token = (
        ScimToken.objects.for_org(organization)
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ScimToken.objects.for_org(organization).filter(pk=token.pk).update(last_used_at=now)
    return token
