"""The beat tick: due rounds open once, invitations and reminders go out once, in each
person's language; 1:1 reminders the day before."""

import datetime

import pytest
from django.utils import timezone

from advocacy.tenancy.context import org_context
from surveys import services, tasks
from surveys.models import Meeting, Round

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


def test_the_tick_opens_due_rounds_and_invites_once(
    org_a, admin_a, employee_a, mailoutbox, django_capture_on_commit_callbacks
):
    employee_a.user.preferred_language = "id"
    employee_a.user.save()
    survey = make_survey(org_a, recurrence="weekly", window_days=3, starts_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        tasks.tick()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.tick()  # a second run (or a retried task) changes nothing
    round = Round.objects.get(survey=survey)
    assert round.invited_count == 2 and round.invitations_sent_at is not None
    assert len(mailoutbox) == 2
    by_person = {m.to[0]: m for m in mailoutbox}
    assert by_person[employee_a.user.email].subject.startswith("Survei denyut nadi singkat")
    assert by_person[admin_a.user.email].subject == "Quick pulse survey: Pulse"
    survey.refresh_from_db()
    assert survey.next_round_on == timezone.localdate() + datetime.timedelta(days=7)


def test_reminders_go_only_to_people_who_have_not_answered_and_only_once(
    org_a, admin_a, employee_a, mailoutbox
):
    survey = make_survey(org_a, window_days=5)
    start = timezone.now() - datetime.timedelta(days=2, hours=12)
    with org_context(org_a):
        round = services.round_open(organization=org_a, survey=survey, now=start)
    answer(round, employee_a)
    mailoutbox.clear()
    almost_closed = round.closes_at - datetime.timedelta(hours=3)
    with org_context(org_a):
        assert services.rounds_remind_due(organization=org_a, now=almost_closed) == [round]
        assert services.rounds_remind_due(organization=org_a, now=almost_closed) == []
    assert [m.to[0] for m in mailoutbox] == [admin_a.user.email]
    assert "closes" in mailoutbox[0].subject


def test_a_survey_without_questions_does_not_open(org_a):
    make_survey(org_a, template=None)
    tasks.run_schedule(organization_id=org_a.pk)
    assert not Round.objects.exists()


def test_missed_periods_open_one_round_not_a_backlog(org_a):
    survey = make_survey(
        org_a,
        recurrence="weekly",
        window_days=2,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    tasks.run_schedule(organization_id=org_a.pk)
    assert Round.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    assert survey.next_round_on > timezone.localdate()


def test_monthly_and_quarterly_recurrence_keep_the_day():
    assert services.next_occurrence(datetime.date(2026, 1, 31), "monthly") == datetime.date(
        2026, 2, 28
    )
    assert services.next_occurrence(datetime.date(2026, 11, 15), "quarterly") == datetime.date(
        2027, 2, 15
    )
    assert services.next_occurrence(datetime.date(2026, 1, 1), "biweekly") == datetime.date(
        2026, 1, 15
    )
    assert services.next_occurrence(datetime.date(2026, 1, 1), "once") is None


def test_meeting_reminders_are_sent_once_to_both_and_the_next_meeting_is_planned(
    org_a, member_factory, mailoutbox
):
    from advocacy.tenancy.models import Role

    manager = member_factory(org_a, Role.MANAGER)
    report = member_factory(org_a, manager=manager)
    soon = timezone.now() + datetime.timedelta(hours=5)
    with org_context(org_a):
        series = services.one_on_one_create(
            organization=org_a,
            manager=manager,
            report=report,
            first_meeting_at=soon,
            cadence="weekly",
        )
    tasks.run_schedule(organization_id=org_a.pk)
    tasks.run_schedule(organization_id=org_a.pk)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([manager.user.email, report.user.email])
    assert "1:1" in mailoutbox[0].subject and mailoutbox[0].alternatives
    later = soon + datetime.timedelta(hours=1)
    with org_context(org_a):
        services.meeting_reminders_send(organization=org_a, now=later)
    assert Meeting.objects.filter(
        series=series, scheduled_at=soon + datetime.timedelta(days=7)
    ).exists()
