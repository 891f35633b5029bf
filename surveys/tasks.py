"""Celery tasks: the beat tick finds organizations with listening work and runs each one's
schedule (open due rounds and invite, remind before close, remind before 1:1s).
Every step claims its row before sending, so reruns send nothing twice."""

from __future__ import annotations

from celery import shared_task

from advocacy.tenancy.context import current_org, system_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import OrgTask

from . import services
from .models import OneOnOne, Round, Survey

TICK_SECONDS = 15 * 60


@shared_task(name="surveys.tick", acks_late=True, reject_on_worker_lost=True)
def tick() -> int:
    with system_context("surveys: find organizations with surveys or 1:1s to schedule"):
        org_ids = (
            set(Survey.objects.filter(is_active=True).values_list("organization_id", flat=True))
            | set(
                Round.objects.filter(reminders_sent_at__isnull=True).values_list(
                    "organization_id", flat=True
                )
            )
            | set(OneOnOne.objects.filter(is_active=True).values_list("organization_id", flat=True))
            | set(
                Round.objects.filter(frozen_at__isnull=True).values_list(
                    "organization_id", flat=True
                )
            )
        )
        org_ids &= set(Organization.objects.filter(is_active=True).values_list("id", flat=True))
    for organization_id in sorted(org_ids):
        run_schedule.delay(organization_id=organization_id)
    return len(org_ids)


@shared_task(base=OrgTask, name="surveys.run_schedule", acks_late=True, reject_on_worker_lost=True)
def run_schedule(*, organization_id: int) -> dict:
    organization = current_org()
    frozen = services.rounds_finalize_due(organization=organization)
    opened = services.rounds_open_due(organization=organization)
    reminded = services.rounds_remind_due(organization=organization)
    meetings = services.meeting_reminders_send(organization=organization)
    return {
        "frozen": frozen,
        "opened": len(opened),
        "reminded": len(reminded),
        "meeting_reminders": meetings,
    }


@shared_task(
    base=OrgTask, name="surveys.send_round_invitations", acks_late=True, reject_on_worker_lost=True
)
def send_round_invitations(*, organization_id: int, round_id: int) -> int:
    organization = current_org()
    round = Round.objects.for_org(organization).select_related("survey").filter(pk=round_id).first()
    if round is None:
        return 0
    return services.round_invitations_send(organization=organization, round=round)
