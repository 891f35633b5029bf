"""Celery tasks: ids in, the organization's context entered by OrgTask, a service called.
Every task is safe to run twice: the ledger's idempotency keys and the delivery rows see to it."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from advocacy.tenancy.context import current_org, system_context
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.tasks import OrgTask, enqueue_on_commit

from . import services
from .models import AwardProgram, Newsletter, RepostRequest, ThankYouNote
from .periods import add_months, month_start


def _member(membership_id: int) -> Membership | None:
    return Membership.objects.for_org(current_org()).filter(pk=membership_id).first()


@shared_task(base=OrgTask, name="recognition.award_share")
def award_share(
    *,
    organization_id: int,
    membership_id: int,
    share_id: int,
    network: str,
    published_at: str,
    content_title: str = "",  # absent from tasks queued before titles were sent
) -> None:
    if member := _member(membership_id):
        services.share_points_award(
            organization=current_org(),
            membership=member,
            share_id=share_id,
            network=network,
            published_at=datetime.datetime.fromisoformat(published_at),
            content_title=content_title,
        )


@shared_task(base=OrgTask, name="recognition.record_share_deleted")
def record_share_deleted(*, organization_id: int, membership_id: int, share_id: int) -> None:
    if member := _member(membership_id):
        services.share_deleted_record(
            organization=current_org(), membership=member, share_id=share_id
        )


@shared_task(base=OrgTask, name="recognition.record_repost_outcome")
def record_repost_outcome(
    *, organization_id: int, repost_request_id: int, ok: bool, error: str = ""
) -> None:
    request = RepostRequest.objects.for_org(current_org()).filter(pk=repost_request_id).first()
    if request is not None:
        services.repost_outcome_record(
            organization=current_org(), request=request, ok=ok, error=error
        )


@shared_task(base=OrgTask, name="recognition.award_clicks")
def award_clicks(*, organization_id: int, batch_id: str, shares: list[dict]) -> int:
    """One click-flush batch: every share's `clicks_added`, for one organization."""
    return services.clicks_batch_award(
        organization=current_org(),
        batch_id=batch_id,
        shares=[
            services.ShareClicks(s["share_id"], s["membership_id"], s["clicks_added"])
            for s in shares
        ],
    )


@shared_task(base=OrgTask, name="recognition.recount_clicks")
def recount_clicks(*, organization_id: int, shares: list[dict]) -> int:
    """The sharing side's click totals: append the click points the ledger is missing."""
    return services.click_points_recount(
        organization=current_org(),
        totals=[
            services.ShareClicks(s["share_id"], s["membership_id"], s["clicks_total"])
            for s in shares
        ],
    )


@shared_task(base=OrgTask, name="recognition.flag_self_clicks")
def flag_self_clicks(
    *, organization_id: int, membership_id: int, share_id: int, same_visitor_clicks: int
) -> None:
    if member := _member(membership_id):
        services.self_clicks_flag(
            organization=current_org(),
            membership=member,
            share_id=share_id,
            clicks=same_visitor_clicks,
        )


@shared_task(base=OrgTask, name="recognition.award_course")
def award_course(*, organization_id: int, membership_id: int, course_id: int) -> None:
    if member := _member(membership_id):
        services.course_points_award(
            organization=current_org(), membership=member, course_id=course_id
        )


@shared_task(base=OrgTask, name="recognition.record_training_completed")
def record_training_completed(*, organization_id: int, membership_id: int) -> None:
    if member := _member(membership_id):
        services.training_completed_record(organization=current_org(), membership=member)


@shared_task(base=OrgTask, name="recognition.award_pulse")
def award_pulse(*, organization_id: int, membership_id: int, round_id: int) -> None:
    if member := _member(membership_id):
        services.pulse_points_award(
            organization=current_org(), membership=member, round_id=round_id
        )


@shared_task(base=OrgTask, name="recognition.thank_you_email")
def thank_you_email(*, organization_id: int, note_id: int) -> None:
    note = ThankYouNote.objects.for_org(current_org()).filter(pk=note_id).first()
    if note is not None:
        services.thank_you_email_send(organization=current_org(), note=note)


@shared_task(base=OrgTask, name="recognition.send_newsletter")
def send_newsletter(
    *, organization_id: int, month: str | None = None, newsletter_id: int | None = None
) -> int:
    organization = current_org()
    if newsletter_id is not None:
        newsletter = Newsletter.objects.for_org(organization).get(pk=newsletter_id)
    else:
        newsletter = services.newsletter_prepare(
            organization=organization, month=datetime.date.fromisoformat(month)
        )
    return services.newsletter_send(organization=organization, newsletter=newsletter)


@shared_task(base=OrgTask, name="recognition.roll_award_rounds")
def roll_award_rounds(*, organization_id: int) -> dict[str, int]:
    return services.award_rounds_roll(organization=current_org())


@shared_task(name="recognition.recurring_awards", acks_late=True)
def recurring_awards() -> int:
    """Beat, every hour: open this period's award rounds and announce the last period's
    winners, per organization with an active award, on its own calendar day."""
    with system_context("recognition: recurring awards"):
        organization_ids = list(
            AwardProgram.objects.filter(is_active=True, organization__is_active=True)
            .values_list("organization_id", flat=True)
            .distinct()
        )
    for organization_id in organization_ids:
        enqueue_on_commit(roll_award_rounds, organization_id=organization_id)
    return len(organization_ids)


@shared_task(name="recognition.monthly_newsletters", acks_late=True)
def monthly_newsletters() -> int:
    """Beat, on the first of the month: last month's newsletter for every organization.
    Listing organizations spans tenants; the sending itself runs per organization."""
    with system_context("recognition: monthly newsletters"):
        organizations = list(Organization.objects.filter(is_active=True))
    # The month just ended, by the calendar date of this run (UTC), whatever the org's time zone.
    month = add_months(month_start(timezone.now().date()), -1)
    for organization in organizations:
        enqueue_on_commit(send_newsletter, organization_id=organization.pk, month=month.isoformat())
    return len(organizations)
