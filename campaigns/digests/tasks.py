"""Celery tasks of content digests: the hourly fan-out, and one organization's sends."""

from __future__ import annotations

from celery import shared_task

from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import OrgTask, task_organization

from . import services

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 600,
    "time_limit": 660,
}


@shared_task(base=OrgTask, name="digests.send_for_org", **TASK_OPTIONS)
def send_for_org(*, organization_id: int) -> int:
    """Idempotent: a digest row per member and period is claimed before its e-mail goes."""
    return services.digest_send_due(organization=task_organization())


@shared_task(name="digests.send_due", soft_time_limit=60, time_limit=90)
def send_due() -> int:
    """Beat, hourly: one task per organization (each runs inside its own org)."""
    with system_context("digests: fan out the due digests"):
        ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    for organization_id in ids:
        send_for_org.delay(organization_id=organization_id)
    return len(ids)
