"""Recurring awards roll over by themselves: one round per program and period, and the last
period's winner announced with points when its period is over."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from advocacy.celery import periodic_jobs
from recognition.models import AwardProgram, AwardRound, Cause, PointEntry, ShoutOut
from recognition.periods import day_start, local_today
from recognition.services import (
    award_program_create,
    award_round_open,
    award_rounds_roll,
    nomination_create,
    vote_cast,
)
from recognition.tasks import recurring_awards

from .factories import give_points

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 15)
APRIL = datetime.date(2026, 4, 2)


def _program(
    org, *, cadence=AwardProgram.Cadence.MONTHLY, voting=False, name="Advocate of the Month"
):
    return award_program_create(
        organization=org, name=name, cadence=cadence, points=200, voting_enabled=voting
    )


def _earned_in_march(member, points):
    moment = day_start(member.organization, datetime.date(2026, 3, 10))
    give_points(member, points, cause=Cause.SHARE, created_at=moment)


def test_beat_opens_the_current_round_once_per_organization_with_an_award(
    org_a, org_b, admin_a, django_capture_on_commit_callbacks
):
    program = _program(org_a)
    yearly = _program(org_a, cadence=AwardProgram.Cadence.YEARLY, name="Advocate of the Year")
    assert periodic_jobs()["recognition-recurring-awards"]["task"] == (
        "recognition.recurring_awards"
    )
    with django_capture_on_commit_callbacks(execute=True):
        recurring_awards.apply()
        recurring_awards.apply()  # beat may fire twice
    today = local_today(org_a)
    monthly_round = AwardRound.objects.get(program=program)
    assert monthly_round.period_start == today.replace(day=1)
    assert monthly_round.status == AwardRound.Status.OPEN
    yearly_round = AwardRound.objects.get(program=yearly)
    assert (yearly_round.period_start, yearly_round.period_end) == (
        datetime.date(today.year, 1, 1),
        datetime.date(today.year + 1, 1, 1),
    )
    assert not AwardRound.objects.filter(organization=org_b).exists()


def test_one_round_per_program_and_period_is_enforced_by_the_database(org_a):
    award_round = award_round_open(organization=org_a, program=_program(org_a), day=MARCH)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRound.objects.create(
            organization=org_a,
            program=award_round.program,
            period_start=award_round.period_start,
            period_end=award_round.period_end,
        )


def test_last_months_round_announces_the_top_advocate_once_when_the_month_is_over(
    org_a, admin_a, member_factory
):
    program = _program(org_a)
    star, runner_up = member_factory(org_a), member_factory(org_a)
    _earned_in_march(star, 90)
    _earned_in_march(runner_up, 40)
    assert award_rounds_roll(organization=org_a, day=MARCH) == {"open": 1, "closed": 0}

    assert award_rounds_roll(organization=org_a, day=APRIL) == {"open": 1, "closed": 1}
    assert award_rounds_roll(organization=org_a, day=APRIL) == {"open": 1, "closed": 0}

    march = AwardRound.objects.get(program=program, period_start=datetime.date(2026, 3, 1))
    assert march.status == AwardRound.Status.CLOSED and march.winner == star
    assert AwardRound.objects.get(
        program=program, period_start=datetime.date(2026, 4, 1)
    ).status == (AwardRound.Status.OPEN)
    announcement = ShoutOut.objects.get(kind=ShoutOut.Kind.AWARD)
    assert announcement.recipient == star and "Advocate of the Month" in announcement.message
    assert PointEntry.objects.get(cause=Cause.AWARD).points == 200


def test_nominations_and_votes_outrank_points_when_the_round_closes_by_itself(
    org_a, admin_a, member_factory
):
    voted = _program(org_a, voting=True, name="People's choice")
    nominated = _program(org_a, name="Advocate of the Month")
    top_earner, favourite, nominee = (member_factory(org_a) for _ in range(3))
    _earned_in_march(top_earner, 90)
    vote_round = award_round_open(organization=org_a, program=voted, day=MARCH)
    nomination_round = award_round_open(organization=org_a, program=nominated, day=MARCH)
    for person in (favourite, nominee):
        nomination_create(
            organization=org_a,
            award_round=vote_round,
            nominee=person,
            nominated_by=admin_a,
            reason="Great stories",
        )
    vote_cast(organization=org_a, award_round=vote_round, voter=top_earner, nominee=favourite)
    nomination_create(
        organization=org_a,
        award_round=nomination_round,
        nominee=nominee,
        nominated_by=admin_a,
        reason="Helped everyone",
    )
    award_rounds_roll(organization=org_a, day=APRIL)
    vote_round.refresh_from_db()
    nomination_round.refresh_from_db()
    assert vote_round.winner == favourite
    assert nomination_round.winner == nominee


def test_a_round_without_any_candidate_stays_open_for_a_person_to_decide(org_a, admin_a):
    program = _program(org_a)
    award_rounds_roll(organization=org_a, day=MARCH)
    award_rounds_roll(organization=org_a, day=APRIL)
    march = AwardRound.objects.get(program=program, period_start=datetime.date(2026, 3, 1))
    assert march.status == AwardRound.Status.OPEN and march.winner is None
    assert not ShoutOut.objects.exists()
