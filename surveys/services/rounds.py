"""Writes for rounds: open, close and freeze, invitations and reminders."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.models import Membership, Organization, Team
from advocacy.tenancy.tasks import enqueue_on_commit

from .. import sealed
from ..models import (
    Answer,
    Participation,
    Question,
    Response,
    Round,
    Survey,
    SurveyAudienceTeam,
    random_id,
)
from ..selectors import audience_member_ids, survey_settings_get
from .schedule import local_midnight, local_today, next_occurrence


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
        today = local_today(organization, now)
        round = Round.objects.create(
            organization=organization,
            survey=survey,
            number=(last.number + 1) if last else 1,
            opens_at=now,
            closes_at=local_midnight(
                organization, today + datetime.timedelta(days=survey.window_days)
            ),
            invited_count=len(audience_member_ids(organization=organization, survey=survey)),
        )
        due = survey.next_round_on or today
        while due is not None and due <= today:
            due = next_occurrence(due, survey.recurrence)
        survey.next_round_on = due
        survey.save(update_fields=["next_round_on"])
    from ..tasks import send_round_invitations

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
    round_finalize(organization=organization, round=round, now=now)
    return Round.objects.for_org(organization).get(pk=round.pk)


def round_finalize(
    *, organization: Organization, round: Round, now: datetime.datetime | None = None
) -> bool:
    """Freeze a closed round: write its sealed answers in one shuffled batch, copy the team
    tree, audience, questions and threshold its results are computed from forever, and
    award points to everyone who took part. Idempotent; False while the round is open.

    The answers go in through this one transaction, in random order with random ids,
    so they share nothing with any participation. Points go out here, in random
    order, all at the close: a ledger entry's time or order says nothing about when
    someone answered.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Round.objects.for_org(organization).select_for_update().get(pk=round.pk)
        if locked.closes_at > now:
            return False
        if locked.is_frozen:
            sealed.discard_set(round=locked)
            return True
        _write_responses(organization, locked, sealed.take(round=locked))
        sealed.discard_rows(round=locked)
        locked.team_tree = [
            list(row)
            for row in Team.objects.for_org(organization)
            .order_by("pk")
            .values_list("id", "parent_id", "name")
        ]
        locked.audience_team_ids = sorted(
            SurveyAudienceTeam.objects.for_org(organization)
            .filter(survey_id=locked.survey_id)
            .values_list("team_id", flat=True)
        )
        locked.question_ids = sorted(
            Question.objects.for_org(organization)
            .filter(survey_id=locked.survey_id)
            .values_list("id", flat=True)
        )
        locked.threshold = survey_settings_get(organization=organization).anonymity_threshold
        locked.frozen_at = now
        locked.save(
            update_fields=[
                "team_tree",
                "audience_team_ids",
                "question_ids",
                "threshold",
                "frozen_at",
            ]
        )
        participants = list(
            Participation.objects.for_org(organization)
            .filter(round=locked)
            .values_list("membership_id", flat=True)
        )
        _shuffle(participants)
        for membership_id in participants:
            events.publish(
                events.PulseAnswered(
                    organization_id=organization.pk,
                    membership_id=membership_id,
                    round_id=locked.pk,
                )
            )
    sealed.discard_set(round=locked)
    return True


def round_ensure_frozen(*, organization: Organization, round: Round) -> Round:
    """Before showing results: a round whose close the schedule has not processed yet
    is frozen on first look (idempotent, nothing to do once frozen)."""
    if round.is_closed() and not round.is_frozen:
        round_finalize(organization=organization, round=round)
        round = Round.objects.for_org(organization).select_related("survey").get(pk=round.pk)
    return round


def _shuffle(items: list) -> None:
    random.SystemRandom().shuffle(items)


def _write_responses(organization: Organization, round: Round, payloads: list[dict]) -> None:
    _shuffle(payloads)
    known = set(
        Question.objects.for_org(organization)
        .filter(survey_id=round.survey_id)
        .values_list("id", flat=True)
    )
    responses, answers = [], []
    for payload in payloads:
        response = Response(
            id=random_id(), organization=organization, round=round, team_key=payload["team"]
        )
        responses.append(response)
        answers += [
            Answer(
                id=random_id(),
                organization=organization,
                response=response,
                question_id=qid,
                **fields,
            )
            for qid, fields in payload["answers"].items()
            if qid in known
        ]
    _shuffle(answers)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)


def rounds_finalize_due(*, organization: Organization, now=None) -> int:
    now = now or timezone.now()
    due = Round.objects.for_org(organization).filter(frozen_at__isnull=True, closes_at__lte=now)
    return sum(round_finalize(organization=organization, round=r, now=now) for r in due)


def rounds_open_due(
    *, organization: Organization, now: datetime.datetime | None = None
) -> list[Round]:
    """Open every round that is due today in the organization's time zone. Idempotent:
    opening moves the survey's next date forward under a row lock."""
    now = now or timezone.now()
    today = local_today(organization, now)
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
    from .. import emails

    now = now or timezone.now()
    if round.is_closed(now) or not _claim(organization, round, "invitations_sent_at", now):
        return 0
    ids = audience_member_ids(organization=organization, survey=round.survey)
    return _mail(organization, round, ids, "invitation", emails)


def round_reminders_send(*, organization: Organization, round: Round, now=None) -> int:
    """Remind those who have not answered yet; participation is all this needs."""
    from .. import emails

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
