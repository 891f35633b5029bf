"""Writes for surveys and 1:1s."""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.models import Membership, Organization, Team
from advocacy.tenancy.tasks import enqueue_on_commit

from . import bank
from .models import (
    MAX_QUESTIONS,
    MIN_THRESHOLD,
    ActionItem,
    AgendaItem,
    Answer,
    Meeting,
    OneOnOne,
    Participation,
    PrivateNote,
    Question,
    QuestionKind,
    Recurrence,
    Response,
    Round,
    Survey,
    SurveyAudienceTeam,
    SurveySettings,
    random_id,
)
from .selectors import audience_member_ids, reports_of, survey_ids_for_member

MAX_COMMENT = 2000


class AlreadyAnswered(ValidationError):
    pass


class RoundNotOpen(ValidationError):
    pass


# --- settings -------------------------------------------------------------------


def survey_settings_update(
    *, organization: Organization, anonymity_threshold: int
) -> SurveySettings:
    if anonymity_threshold < MIN_THRESHOLD:
        raise ValidationError(
            {
                "anonymity_threshold": _("The anonymity threshold cannot be lower than %(n)s.")
                % {"n": MIN_THRESHOLD}
            }
        )
    settings, _created = SurveySettings.objects.update_or_create(
        organization=organization, defaults={"anonymity_threshold": anonymity_threshold}
    )
    return settings


# --- surveys and questions --------------------------------------------------------


def survey_create(
    *,
    organization: Organization,
    title: str,
    kind: str | None = None,
    recurrence: str = Recurrence.MONTHLY,
    window_days: int = 5,
    starts_on: datetime.date | None = None,
    description: str = "",
    audience_teams: Iterable[Team] = (),
    template: str | None = None,
    created_by: Membership | None = None,
) -> Survey:
    if template and template not in bank.TEMPLATES:
        raise ValidationError({"template": _("Unknown template.")})
    survey_schedule_validate(recurrence=recurrence, window_days=window_days)
    starts_on = starts_on or timezone.localdate()
    kind = kind or (bank.TEMPLATES[template].kind if template else Survey.Kind.PULSE)
    with transaction.atomic():
        survey = Survey.objects.create(
            organization=organization,
            title=title,
            kind=kind,
            recurrence=recurrence,
            window_days=window_days,
            starts_on=starts_on,
            next_round_on=starts_on,
            description=description,
            created_by=created_by,
        )
        for team in audience_teams:
            SurveyAudienceTeam.objects.create(organization=organization, survey=survey, team=team)
        if template:
            for key in bank.TEMPLATES[template].question_keys:
                question_add_from_bank(organization=organization, survey=survey, key=key)
    return survey


PERIOD_DAYS = {
    Recurrence.WEEKLY: 7,
    Recurrence.BIWEEKLY: 14,
    Recurrence.MONTHLY: 28,
    Recurrence.QUARTERLY: 90,
}


def survey_schedule_validate(*, recurrence: str, window_days: int) -> None:
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Unknown recurrence.")})
    if not 1 <= window_days <= PERIOD_DAYS.get(recurrence, 60):
        raise ValidationError(
            {
                "window_days": _(
                    "A round must close before the next one opens: at most %(n)s days."
                )
                % {"n": PERIOD_DAYS.get(recurrence, 60)}
            }
        )


def question_add(
    *,
    organization: Organization,
    survey: Survey,
    kind: str,
    text_en: str,
    text_id: str = "",
    choices: list[dict] | None = None,
    category: str = "",
    measure: str = "",
    bank_key: str = "",
) -> Question:
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Unknown question type.")})
    choices = choices or []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        raise ValidationError({"choices": _("A choice question needs at least two choices.")})
    if not text_en.strip():
        raise ValidationError({"text_en": _("Write the question.")})
    with transaction.atomic():
        # Lock the survey so two admins adding at once cannot pass the limit together.
        Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
        count = Question.objects.for_org(organization).filter(survey=survey).count()
        if count >= MAX_QUESTIONS:
            raise ValidationError(
                _("A pulse survey has at most %(n)s questions; remove one first.")
                % {"n": MAX_QUESTIONS}
            )
        if measure == Question.Measure.ENPS and survey.questions.filter(measure=measure).exists():
            raise ValidationError(_("This survey already asks the eNPS question."))
        return Question.objects.create(
            organization=organization,
            survey=survey,
            position=count + 1,
            kind=kind,
            text_en=text_en.strip(),
            text_id=text_id.strip(),
            choices=choices,
            category=category,
            measure=measure,
            bank_key=bank_key,
        )


def question_add_from_bank(*, organization: Organization, survey: Survey, key: str) -> Question:
    item = bank.QUESTIONS.get(key)
    if item is None:
        raise ValidationError({"key": _("Unknown question.")})
    return question_add(
        organization=organization,
        survey=survey,
        kind=item.kind,
        text_en=item.text_en,
        text_id=item.text_id,
        choices=item.choices_data(),
        category=item.category,
        measure=item.measure,
        bank_key=item.key,
    )


def question_remove(*, organization: Organization, question: Question) -> None:
    if Answer.objects.for_org(organization).filter(question=question).exists():
        raise ValidationError(
            _("This question already has answers; it stays so past results keep their meaning.")
        )
    question.delete()


# --- rounds -------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_occurrence(day: datetime.date, recurrence: str) -> datetime.date | None:
    if recurrence == Recurrence.WEEKLY:
        return day + datetime.timedelta(days=7)
    if recurrence == Recurrence.BIWEEKLY:
        return day + datetime.timedelta(days=14)
    if recurrence == Recurrence.MONTHLY:
        return _add_months(day, 1)
    if recurrence == Recurrence.QUARTERLY:
        return _add_months(day, 3)
    return None


def _local_midnight(organization: Organization, day: datetime.date) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(organization.timezone or "UTC")
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def round_open(
    *, organization: Organization, survey: Survey, now: datetime.datetime | None = None
) -> Round:
    """Open the survey's next round now; it closes at local midnight after its window."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
        if not survey.questions.exists():
            raise ValidationError(_("Add at least one question before opening a round."))
        if Round.objects.for_org(organization).filter(survey=survey, closes_at__gt=now).exists():
            raise ValidationError(_("A round of this survey is already open."))
        last = Round.objects.for_org(organization).filter(survey=survey).order_by("-number").first()
        local_today = now.astimezone(zoneinfo.ZoneInfo(organization.timezone or "UTC")).date()
        round = Round.objects.create(
            organization=organization,
            survey=survey,
            number=(last.number + 1) if last else 1,
            opens_at=now,
            closes_at=_local_midnight(
                organization, local_today + datetime.timedelta(days=survey.window_days)
            ),
            invited_count=len(audience_member_ids(organization=organization, survey=survey)),
        )
        due = survey.next_round_on or local_today
        while due is not None and due <= local_today:
            due = next_occurrence(due, survey.recurrence)
        survey.next_round_on = due
        survey.save(update_fields=["next_round_on"])
    from .tasks import send_round_invitations

    enqueue_on_commit(send_round_invitations, organization_id=organization.pk, round_id=round.pk)
    return round


def round_close(
    *, organization: Organization, round: Round, now: datetime.datetime | None = None
) -> Round:
    now = now or timezone.now()
    with transaction.atomic():
        round = Round.objects.for_org(organization).select_for_update().get(pk=round.pk)
        if round.closes_at > now:
            round.closes_at = now
            round.save(update_fields=["closes_at"])
    return round


def rounds_open_due(
    *, organization: Organization, now: datetime.datetime | None = None
) -> list[Round]:
    """Open every round that is due today in the organization's time zone. Idempotent:
    opening moves the survey's next date forward under a row lock."""
    now = now or timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(organization.timezone or "UTC")).date()
    opened = []
    due = Survey.objects.for_org(organization).filter(is_active=True, next_round_on__lte=today)
    for survey in due:
        try:
            opened.append(round_open(organization=organization, survey=survey, now=now))
        except ValidationError:
            continue  # no questions yet, or the previous round still runs
    return opened


def _claim(organization: Organization, round: Round, field: str, now: datetime.datetime) -> bool:
    """Mark invitations/reminders as sent exactly once, even with two workers."""
    rows = Round.objects.for_org(organization).filter(pk=round.pk, **{f"{field}__isnull": True})
    return bool(rows.update(**{field: now}))


def round_invitations_send(*, organization: Organization, round: Round, now=None) -> int:
    from . import emails

    now = now or timezone.now()
    if round.is_closed(now) or not _claim(organization, round, "invitations_sent_at", now):
        return 0
    ids = audience_member_ids(organization=organization, survey=round.survey)
    return _mail(organization, round, ids, "invitation", emails)


def round_reminders_send(*, organization: Organization, round: Round, now=None) -> int:
    """Remind those who have not answered yet; participation is all this needs."""
    from . import emails

    now = now or timezone.now()
    if round.is_closed(now) or not _claim(organization, round, "reminders_sent_at", now):
        return 0
    answered = set(
        Participation.objects.for_org(organization)
        .filter(round=round)
        .values_list("membership_id", flat=True)
    )
    ids = audience_member_ids(organization=organization, survey=round.survey) - answered
    return _mail(organization, round, ids, "reminder", emails)


def _mail(organization, round, ids, template, emails) -> int:
    from django.urls import reverse

    url = emails.absolute(
        reverse("surveys:answer", kwargs={"org_slug": organization.slug, "pk": round.pk})
    )
    people = Membership.objects.for_org(organization).filter(pk__in=ids).select_related("user")
    for person in people:
        emails.send(
            organization=organization,
            membership=person,
            template=template,
            context={"round": round, "survey": round.survey, "url": url},
        )
    return len(ids)


REMINDER_BEFORE_CLOSE = datetime.timedelta(days=1)


def rounds_remind_due(*, organization: Organization, now=None) -> list[Round]:
    now = now or timezone.now()
    due = (
        Round.objects.for_org(organization)
        .filter(
            reminders_sent_at__isnull=True,
            closes_at__gt=now,
            closes_at__lte=now + REMINDER_BEFORE_CLOSE,
            opens_at__lte=now - datetime.timedelta(hours=12),
        )
        .select_related("survey")
    )
    return [r for r in due if round_reminders_send(organization=organization, round=r, now=now)]


# --- answering ------------------------------------------------------------------------


def _coerce_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError


def _clean_answer(question: Question, value) -> dict | None:
    """The Answer fields for one value, or None for a skipped comment."""
    if value in (None, "", []):
        if question.is_optional:
            return None
        raise ValueError(_("Please answer this question."))
    kind = question.kind
    if kind == QuestionKind.TEXT:
        text = str(value).strip()
        if len(text) > MAX_COMMENT:
            raise ValueError(_("Please keep comments under %(n)s characters.") % {"n": MAX_COMMENT})
        return {"text": text} if text else None
    if kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list | tuple) else [value]
        try:
            selected = sorted({_coerce_int(v) for v in values})
        except ValueError:
            raise ValueError(_("Choose from the options given.")) from None
        if not selected or any(not 0 <= i < len(question.choices) for i in selected):
            raise ValueError(_("Choose from the options given."))
        return {"selected": selected}
    low, high = {QuestionKind.AGREE5: (1, 5), QuestionKind.SCALE10: (0, 10)}.get(
        kind, (0, len(question.choices) - 1)
    )
    try:
        number = _coerce_int(value)
    except ValueError:
        raise ValueError(
            _("Answer with a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        ) from None
    if not low <= number <= high:
        if kind == QuestionKind.SINGLE:
            raise ValueError(_("Choose from the options given."))
        raise ValueError(
            _("Answer with a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return {"number": number}


def response_submit(
    *,
    organization: Organization,
    round: Round,
    membership: Membership,
    answers: Mapping[int, object],
    now: datetime.datetime | None = None,
) -> None:
    """Record one anonymous response and, separately, that this person took part.

    Both rows are written in one transaction; the unique participation row makes a
    second submission (a double click, a replayed request) fail as a whole.
    """
    now = now or timezone.now()
    questions = list(Question.objects.for_org(organization).filter(survey_id=round.survey_id))
    known = {q.pk for q in questions}
    unknown = [key for key in answers if key not in known]
    if unknown:
        raise ValidationError(_("Some answers are for questions that are not in this survey."))
    cleaned, errors = {}, {}
    for question in questions:
        try:
            cleaned[question.pk] = _clean_answer(question, answers.get(question.pk))
        except ValueError as error:
            errors[f"q{question.pk}"] = [str(error)]
    if errors:
        raise ValidationError(errors)
    invited = survey_ids_for_member(organization=organization, membership=membership)
    if not membership.is_active or round.survey_id not in invited:
        raise RoundNotOpen(_("This survey was not sent to you."), code="not_invited")
    try:
        with transaction.atomic():
            locked = Round.objects.for_org(organization).select_for_update().get(pk=round.pk)
            if not locked.is_open(now):
                raise RoundNotOpen(
                    _("This round is closed; answers are no longer accepted."), code="closed"
                )
            Participation.objects.create(
                id=random_id(), organization=organization, round=locked, membership=membership
            )
            response = Response.objects.create(
                id=random_id(), organization=organization, round=locked, team_id=membership.team_id
            )
            Answer.objects.bulk_create(
                Answer(
                    id=random_id(),
                    organization=organization,
                    response=response,
                    question_id=qid,
                    **fields,
                )
                for qid, fields in cleaned.items()
                if fields is not None
            )
    except IntegrityError:
        raise AlreadyAnswered(
            _("You have already answered this round. Thank you!"), code="already_answered"
        ) from None
    events.publish(
        events.PulseAnswered(
            organization_id=organization.pk, membership_id=membership.pk, round_id=round.pk
        )
    )


# --- 1:1 meetings ------------------------------------------------------------------------


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
    from . import emails

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
