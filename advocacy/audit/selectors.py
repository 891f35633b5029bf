"""Reads of the audit trail."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from advocacy.tenancy.models import Organization

from .models import AuditEntry


def audit_entry_list(
    *,
    organization: Organization,
    action: str = "",
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.for_org(organization)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(Q(actor_label__icontains=actor))
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-id")
