"""Writes that shape a survey: the anonymity threshold, the survey, its audience and
its questions. What a round asked is fixed while it runs: questions and the audience
cannot change while a round is open, and a closed round keeps its own frozen copy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.audit.services import audit_record
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization, Team

from .. import bank
from ..models import (
    MAX_QUESTIONS,
    MIN_THRESHOLD,
    Answer,
    Question,
    QuestionKind,
    Recurrence,
    Round,
    Survey,
    SurveyAudienceTeam,
    SurveySettings,
)
from .errors import FrozenBySurveyRound


class _RefusalsAudited:
    """Record a refused change to what a round asked on the audit trail. The record is
    written after the refused transaction rolled back, so it stays."""

    def __init__(self, organization: Organization, actor, survey_id: int, change: str):
        self.organization, self.actor = organization, actor
        self.survey_id, self.change = survey_id, change

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback) -> bool:
        if isinstance(error, FrozenBySurveyRound):
            audit_record(
                organization=self.organization,
                actor=self.actor,
                action="survey.change_refused",
                target=("surveys.survey", self.survey_id, ""),
                details={"change": self.change, "reason": error.code},
            )
        return False


def _refuse_while_open(organization: Organization, survey: Survey, message: str) -> None:
    """Call with the survey row locked, so a round cannot open in between."""
    if (
        Round.objects.for_org(organization)
        .filter(survey=survey, closes_at__gt=timezone.now())
        .exists()
    ):
        raise FrozenBySurveyRound(message, code="round_open")


def survey_settings_update(
    *, organization: Organization, anonymity_threshold: int, actor: Membership | None = None
) -> SurveySettings:
    if anonymity_threshold < MIN_THRESHOLD:
        raise ValidationError(
            {
                "anonymity_threshold": _("The anonymity threshold cannot be lower than %(n)s.")
                % {"n": MIN_THRESHOLD}
            }
        )
    # Closed rounds keep the threshold frozen at their close; this one applies to
    # rounds still open and to future ones.
    with transaction.atomic():
        before = SurveySettings.objects.for_org(organization).first()
        settings, _created = SurveySettings.objects.update_or_create(
            organization=organization, defaults={"anonymity_threshold": anonymity_threshold}
        )
        old = before.anonymity_threshold if before else None
        if old != anonymity_threshold:
            audit_record(
                organization=organization,
                actor=actor,
                action="survey.threshold_changed",
                target=("surveys.surveysettings", settings.pk, "anonymity threshold"),
                details={
                    "from": old,
                    "to": anonymity_threshold,
                    "applies_to": "open and future rounds",
                },
            )
    return settings


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
    actor: Membership | None = None,
) -> Question:
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Unknown question type.")})
    choices = choices or []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        raise ValidationError({"choices": _("A choice question needs at least two choices.")})
    if not text_en.strip():
        raise ValidationError({"text_en": _("Write the question.")})
    ensure_in_org(organization, survey)
    with _RefusalsAudited(organization, actor, survey.pk, "question_add"), transaction.atomic():
        # Lock the survey so two admins adding at once cannot pass the limit together.
        Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
        _refuse_while_open(
            organization,
            survey,
            _("Questions cannot be added while a round is open; add them once it closes."),
        )
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


def question_add_from_bank(
    *, organization: Organization, survey: Survey, key: str, actor: Membership | None = None
) -> Question:
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
        actor=actor,
    )


def question_remove(
    *, organization: Organization, question: Question, actor: Membership | None = None
) -> None:
    ensure_in_org(organization, question)
    with (
        _RefusalsAudited(organization, actor, question.survey_id, "question_remove"),
        transaction.atomic(),
    ):
        survey = Survey.objects.for_org(organization).select_for_update().get(pk=question.survey_id)
        _refuse_while_open(
            organization,
            survey,
            _("Questions cannot be removed while a round is open; remove them once it closes."),
        )
        asked = Round.objects.for_org(organization).filter(survey=survey, frozen_at__isnull=False)
        if Answer.objects.for_org(organization).filter(question=question).exists() or any(
            question.pk in r.question_ids for r in asked.only("question_ids")
        ):
            raise FrozenBySurveyRound(
                _(
                    "This question was asked in a closed round; it stays so past results keep their meaning."
                ),
                code="asked",
            )
        question.delete()


def survey_audience_update(
    *,
    organization: Organization,
    survey: Survey,
    teams: Iterable[Team],
    actor: Membership | None = None,
) -> Survey:
    """Who future rounds go to. Refused while a round runs: its invitations went out and
    its results are grouped over that audience. Closed rounds keep their frozen copy."""
    teams = list(teams)
    ensure_in_org(organization, survey, *teams)
    with _RefusalsAudited(organization, actor, survey.pk, "audience_update"), transaction.atomic():
        survey = Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
        _refuse_while_open(
            organization,
            survey,
            _("The audience cannot change while a round is open; change it once the round closes."),
        )
        SurveyAudienceTeam.objects.for_org(organization).filter(survey=survey).delete()
        for team in {team.pk: team for team in teams}.values():
            SurveyAudienceTeam.objects.create(organization=organization, survey=survey, team=team)
    return survey
