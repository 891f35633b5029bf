"""Helpers that build surveys, rounds and answers through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Role, Team
from surveys import services
from surveys.models import QuestionKind, Round, Survey
from tests.factories import MembershipFactory, TeamFactory


def make_team(organization, name, parent=None) -> Team:
    return TeamFactory(organization=organization, name=name, parent=parent)


def make_people(organization, team, count, role=Role.EMPLOYEE):
    return [
        MembershipFactory(organization=organization, team=team, role=role) for _ in range(count)
    ]


def make_survey(organization, *, template="engagement", **kwargs) -> Survey:
    with org_context(organization):
        return services.survey_create(
            organization=organization,
            title=kwargs.pop("title", "Pulse"),
            template=template,
            **kwargs,
        )


def open_round(survey) -> Round:
    with org_context(survey.organization):
        return services.round_open(organization=survey.organization, survey=survey)


def answer(round, membership, values=None, *, enps=None, comment="") -> None:
    """Answer every question: `values` by question kind, eNPS and the comment explicitly."""
    values = {
        QuestionKind.AGREE5: 4,
        QuestionKind.SCALE10: 8,
        QuestionKind.SINGLE: 0,
        QuestionKind.MULTIPLE: [0],
    } | (values or {})
    answers = {}
    for question in round.survey.questions.all():
        if question.measure == "enps" and enps is not None:
            answers[question.pk] = enps
        elif question.kind == QuestionKind.TEXT:
            answers[question.pk] = comment
        else:
            answers[question.pk] = values[question.kind]
    with org_context(round.organization):
        services.response_submit(
            organization=round.organization, round=round, membership=membership, answers=answers
        )


def close(round) -> Round:
    with org_context(round.organization):
        return services.round_close(
            organization=round.organization,
            round=round,
            now=timezone.now() - datetime.timedelta(seconds=1),
        )
