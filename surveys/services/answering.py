"""Writes for answering a round. The response is sealed away (`surveys/sealed.py`) and
only written at close; the participation is all that is recorded now."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from .. import sealed
from ..models import Participation, Question, QuestionKind, Round, random_id
from ..selectors import survey_ids_for_member
from .errors import AlreadyAnswered, AnswersUnavailable, RoundNotOpen

MAX_COMMENT = 2000


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
    """Record that this person took part, and seal their answers until the round closes.

    Points for taking part are awarded at close (`round_finalize`), not now, so
    neither the ledger nor anything else dates an answer.
    The unique participation row makes a second submission (a double click, a
    replayed request) fail as a whole.
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
            sealed.seal(
                round=locked,
                team_key=membership.team_id,
                answers={qid: fields for qid, fields in cleaned.items() if fields is not None},
            )
    except sealed.SealUnavailable as failure:
        sealed.revoke(round=round, nonce=failure.nonce)
        raise AnswersUnavailable(
            _(
                "Your answers could not be stored safely just now; nothing was recorded. Please try again in a minute."
            ),
            code="unavailable",
        ) from None
    except IntegrityError:
        raise AlreadyAnswered(
            _("You have already answered this round. Thank you!"), code="already_answered"
        ) from None
