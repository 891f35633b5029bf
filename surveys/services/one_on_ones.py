"""Writes for 1:1 meetings: the series, its meetings, agenda, notes and actions."""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from ..models import ActionItem, AgendaItem, Meeting, OneOnOne, PrivateNote
from ..selectors import reports_of
from .schedule import add_months as _add_months

ONE_ON_ONE_STEP = {
    OneOnOne.Cadence.WEEKLY: datetime.timedelta(days=7),
    OneOnOne.Cadence.BIWEEKLY: datetime.timedelta(days=14),
}


def _next_meeting_time(series: OneOnOne, after: datetime.datetime) -> datetime.datetime:
    moment = series.first_meeting_at
    while moment <= after:
        step = ONE_ON_ONE_STEP.get(series.cadence)
        if step is None:  # monthly keeps the day of month and the local time
            zone = zoneinfo.ZoneInfo(series.organization.timezone or "UTC")
            local = moment.astimezone(zone)
            moment = datetime.datetime.combine(_add_months(local.date(), 1), local.timetz())
        else:
            moment = moment + step
    return moment


def one_on_one_create(
    *,
    organization: Organization,
    manager: Membership,
    report: Membership,
    first_meeting_at: datetime.datetime,
    cadence: str = OneOnOne.Cadence.BIWEEKLY,
    duration_minutes: int = 30,
) -> OneOnOne:
    if (
        report.pk == manager.pk
        or not reports_of(organization=organization, manager=manager).filter(pk=report.pk).exists()
    ):
        raise ValidationError(
            {"report": _("You can only schedule 1:1s with people who report to you.")}
        )
    if OneOnOne.objects.for_org(organization).filter(manager=manager, report=report).exists():
        raise ValidationError({"report": _("You already have a 1:1 series with this person.")})
    with transaction.atomic():
        series = OneOnOne.objects.create(
            organization=organization,
            manager=manager,
            report=report,
            cadence=cadence,
            first_meeting_at=first_meeting_at,
            duration_minutes=duration_minutes,
        )
        Meeting.objects.create(
            organization=organization, series=series, scheduled_at=first_meeting_at
        )
    return series


def meeting_ensure_next(
    *, organization: Organization, series: OneOnOne, now=None
) -> Meeting | None:
    """Make sure the next occurrence exists, so both can prepare its agenda."""
    now = now or timezone.now()
    if not series.is_active:
        return None
    upcoming = (
        Meeting.objects.for_org(organization).filter(series=series, scheduled_at__gt=now).first()
    )
    if upcoming:
        return upcoming
    meeting, _created = Meeting.objects.get_or_create(
        organization=organization, series=series, scheduled_at=_next_meeting_time(series, now)
    )
    return meeting


def _require_participant(meeting_or_series, membership: Membership) -> OneOnOne:
    series = (
        meeting_or_series if isinstance(meeting_or_series, OneOnOne) else meeting_or_series.series
    )
    if membership.pk not in series.participant_ids():
        raise ValidationError(_("Only the two people in this 1:1 can change it."))
    return series


def agenda_item_add(
    *, organization: Organization, meeting: Meeting, author: Membership, text: str
) -> AgendaItem:
    _require_participant(meeting, author)
    if not text.strip():
        raise ValidationError({"text": _("Write a topic.")})
    return AgendaItem.objects.create(
        organization=organization, meeting=meeting, author=author, text=text.strip()[:300]
    )


def agenda_item_toggle(
    *, organization: Organization, item: AgendaItem, actor: Membership
) -> AgendaItem:
    _require_participant(item.meeting, actor)
    item.is_discussed = not item.is_discussed
    item.save(update_fields=["is_discussed"])
    return item


def shared_notes_save(
    *, organization: Organization, meeting: Meeting, author: Membership, text: str
) -> Meeting:
    _require_participant(meeting, author)
    meeting.shared_notes = text
    meeting.save(update_fields=["shared_notes"])
    return meeting


def private_note_save(
    *, organization: Organization, meeting: Meeting, author: Membership, text: str
) -> PrivateNote:
    _require_participant(meeting, author)
    note, _created = PrivateNote.objects.update_or_create(
        organization=organization,
        meeting=meeting,
        author=author,
        defaults={"text": text, "updated_at": timezone.now()},
    )
    return note


def action_item_add(
    *,
    organization: Organization,
    meeting: Meeting,
    author: Membership,
    owner: Membership,
    text: str,
    due_on: datetime.date | None = None,
) -> ActionItem:
    series = _require_participant(meeting, author)
    if owner.pk not in series.participant_ids():
        raise ValidationError({"owner": _("The owner must be one of the two people in this 1:1.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the action.")})
    return ActionItem.objects.create(
        organization=organization,
        series=series,
        meeting=meeting,
        owner=owner,
        text=text.strip()[:300],
        due_on=due_on,
    )


def action_item_toggle(
    *, organization: Organization, item: ActionItem, actor: Membership
) -> ActionItem:
    _require_participant(item.series, actor)
    item.done_at = None if item.done_at else timezone.now()
    item.save(update_fields=["done_at"])
    return item


MEETING_REMINDER_BEFORE = datetime.timedelta(hours=24)


def meeting_reminders_send(*, organization: Organization, now=None) -> int:
    """Email both people a day before each meeting (once), and schedule the next one."""
    from .. import emails

    now = now or timezone.now()
    for series in (
        OneOnOne.objects.for_org(organization).filter(is_active=True).select_related("organization")
    ):
        meeting_ensure_next(organization=organization, series=series, now=now)
    sent = 0
    due = (
        Meeting.objects.for_org(organization)
        .filter(
            reminder_sent_at__isnull=True,
            scheduled_at__gt=now,
            scheduled_at__lte=now + MEETING_REMINDER_BEFORE,
            series__is_active=True,
        )
        .select_related("series__manager__user", "series__report__user")
    )
    for meeting in due:
        if (
            not Meeting.objects.for_org(organization)
            .filter(pk=meeting.pk, reminder_sent_at__isnull=True)
            .update(reminder_sent_at=now)
        ):
            continue  # another worker took it
        from django.urls import reverse

        url = emails.absolute(
            reverse("surveys:meeting", kwargs={"org_slug": organization.slug, "pk": meeting.pk})
        )
        for person, other in (
            (meeting.series.manager, meeting.series.report),
            (meeting.series.report, meeting.series.manager),
        ):
            emails.send(
                organization=organization,
                membership=person,
                template="meeting_reminder",
                context={"meeting": meeting, "other": other, "url": url},
            )
            sent += 1
    return sent
