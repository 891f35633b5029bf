"""Writes to the audit trail. Other apps call `audit_record` from their own
services, inside their transaction, so an action and its record commit together."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from advocacy.tenancy.models import Organization

from .context import current_ip, ip_hash
from .models import AuditEntry

Target = models.Model | tuple[str, Any, str] | None


def _actor(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, ""
    user = getattr(actor, "user", actor)  # a Membership or a User
    return user.pk, (getattr(user, "email", "") or str(user))[:200]


def _target(target: Target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, pk, label = target
        return kind, str(pk), str(label)[:200]
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:200]


def _jsonable(details: dict | None) -> dict:
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, default=str))


def audit_record(
    *,
    organization: Organization,
    actor,
    action: str,
    target: Target = None,
    details: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Record that `actor` (a Membership, a User, or None for the system) did `action`."""
    actor_id, actor_label = _actor(actor)
    target_type, target_id, target_label = _target(target)
    return AuditEntry.objects.create(
        organization=organization,
        actor_user_id=actor_id,
        actor_label=actor_label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        details=_jsonable(details),
        ip_hash=ip_hash(ip or current_ip()),
    )
