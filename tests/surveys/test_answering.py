"""Answering a round: anonymous by construction, once per person, only while open."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy import events
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Role
from surveys import services
from surveys.models import MAX_QUESTIONS, Answer, Participation, Question, Response, Round

from .factories import answer, close, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db


def test_responses_and_answers_have_no_link_to_a_person_or_a_time():
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "organization",
        "round",
        "team_key",
    }
    assert {f.name for f in Answer._meta.concrete_fields} == {
        "id",
        "organization",
        "response",
        "question",
        "number",
        "selected",
        "text",
    }
    assert {f.name for f in Participation._meta.concrete_fields} == {
        "id",
        "organization",
        "round",
        "membership",
    }


def test_row_ids_do_not_reveal_the_order_people_answered_in(org_a, member_factory):
    survey = make_survey(org_a)
    round = open_round(survey)
    for member in [member_factory(org_a) for _ in range(6)]:
        answer(round, member)
    close(round)
    participation_ids = list(
        Participation.objects.filter(round=round).order_by("pk").values_list("pk", flat=True)
    )
    response_ids = list(
        Response.objects.filter(round=round).order_by("pk").values_list("pk", flat=True)
    )
    # Random keys: far apart, not a sequence that could be zipped with another table's.
    assert max(participation_ids) > 10**9 and max(response_ids) > 10**9
    assert participation_ids != list(range(participation_ids[0], participation_ids[0] + 6))


def test_answering_records_the_response_and_the_participation_separately(org_a, employee_a):
    team = make_team(org_a, "Ops")
    employee_a.team = team
    employee_a.save()
    round = open_round(make_survey(org_a))
    answer(round, employee_a, enps=9, comment="Great place")
    # While the round runs only the participation is in the database; the answers
    # are sealed away and written, shuffled with everyone else's, at close.
    assert not Response.objects.exists() and not Answer.objects.exists()
    close(round)
    response = Response.objects.get(round=round)
    assert response.team_key == team.pk
    assert Participation.objects.filter(round=round, membership=employee_a).count() == 1
    assert Answer.objects.filter(response=response, text="Great place").exists()
    assert Answer.objects.get(response=response, question__measure="enps").number == 9


def test_a_second_submission_is_refused_and_nothing_is_counted_twice(org_a, employee_a):
    round = open_round(make_survey(org_a))
    answer(round, employee_a)
    with pytest.raises(services.AlreadyAnswered):
        answer(round, employee_a)
    close(round)
    assert Response.objects.filter(round=round).count() == 1
    assert Participation.objects.filter(round=round).count() == 1
    assert Answer.objects.count() == round.survey.questions.exclude(kind="text").count()


def test_answers_after_the_round_closes_are_refused(org_a, employee_a):
    round = close(open_round(make_survey(org_a)))
    with pytest.raises(services.RoundNotOpen):
        answer(round, employee_a)
    assert not Response.objects.exists() and not Participation.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("agree5", 6),
        ("agree5", 0),
        ("scale10", 11),
        ("scale10", -1),
        ("scale10", "ten"),
        ("single", 9),
        ("multiple", [0, 42]),
    ],
)
def test_out_of_range_answers_are_refused_and_nothing_is_stored(org_a, employee_a, kind, value):
    survey = make_survey(org_a, template=None)
    with org_context(org_a):
        question = services.question_add(
            organization=org_a,
            survey=survey,
            kind=kind,
            text_en="Q?",
            choices=[{"en": "A"}, {"en": "B"}] if kind in ("single", "multiple") else None,
        )
    round = open_round(survey)
    with pytest.raises(ValidationError) as error:
        with org_context(org_a):
            services.response_submit(
                organization=org_a, round=round, membership=employee_a, answers={question.pk: value}
            )
    assert f"q{question.pk}" in error.value.message_dict
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_missing_required_answer_is_refused_but_comments_are_optional(org_a, employee_a):
    round = open_round(make_survey(org_a, template="enps"))
    enps_q, why_q = round.survey.questions.order_by("position")
    with org_context(org_a), pytest.raises(ValidationError):
        services.response_submit(
            organization=org_a, round=round, membership=employee_a, answers={why_q.pk: "hmm"}
        )
    with org_context(org_a):
        services.response_submit(
            organization=org_a, round=round, membership=employee_a, answers={enps_q.pk: 7}
        )
    close(round)
    assert Answer.objects.count() == 1


def test_people_outside_the_audience_cannot_answer(org_a, member_factory):
    sales, support = make_team(org_a, "Sales"), make_team(org_a, "Support")
    outsider = member_factory(org_a, team=support)
    insider = member_factory(org_a, team=make_team(org_a, "Sales East", parent=sales))
    round = open_round(make_survey(org_a, audience_teams=[sales]))
    answer(round, insider)
    with pytest.raises(services.RoundNotOpen):
        answer(round, outsider)
    assert round.invited_count == 1


def test_taking_part_is_announced_at_close_without_the_answers_or_the_moment(
    org_a, employee_a, member_factory, django_capture_on_commit_callbacks
):
    """Points for taking part go out when the round closes, for everyone at once and in
    random order: the ledger cannot tell who answered first, last or late."""
    received = []
    handler = events.subscribe(events.PulseAnswered)(received.append)
    others = [member_factory(org_a) for _ in range(3)]
    try:
        round = open_round(make_survey(org_a))
        with django_capture_on_commit_callbacks(execute=True):
            for member in [employee_a, *others]:
                answer(round, member)
        assert received == []
        with django_capture_on_commit_callbacks(execute=True):
            close(round)
        with django_capture_on_commit_callbacks(execute=True):
            close(round)  # a second close (a rerun of the schedule) announces nothing twice
    finally:
        events._handlers[events.PulseAnswered].remove(handler)
    assert sorted(received, key=lambda e: e.membership_id) == [
        events.PulseAnswered(organization_id=org_a.pk, membership_id=m.pk, round_id=round.pk)
        for m in sorted([employee_a, *others], key=lambda m: m.pk)
    ]


def test_a_survey_has_at_most_ten_questions(org_a):
    survey = make_survey(org_a, template="engagement")  # 7 questions
    with org_context(org_a):
        for key in ("mgr_support", "mgr_feedback", "mgr_oneonone"):
            services.question_add_from_bank(organization=org_a, survey=survey, key=key)
        with pytest.raises(ValidationError):
            services.question_add(
                organization=org_a, survey=survey, kind="agree5", text_en="Eleventh?"
            )
    assert Question.objects.filter(survey=survey).count() == MAX_QUESTIONS


def test_the_enps_question_names_the_organization_in_both_languages(org_a):
    from django.utils import translation

    question = make_survey(org_a, template="enps").questions.get(measure="enps")
    with translation.override("en"):
        assert (
            question.text_for(org_a)
            == "How likely are you to recommend Acme Test as a place to work?"
        )
    with translation.override("id"):
        assert question.text_for(org_a).startswith(
            "Seberapa besar kemungkinan Anda merekomendasikan Acme Test"
        )


def test_threshold_cannot_go_below_three(org_a):
    with pytest.raises(ValidationError):
        services.survey_settings_update(organization=org_a, anonymity_threshold=2)
    assert (
        services.survey_settings_update(
            organization=org_a, anonymity_threshold=3
        ).anonymity_threshold
        == 3
    )


def test_only_one_round_is_open_at_a_time_and_numbers_follow(org_a):
    survey = make_survey(org_a)
    first = open_round(survey)
    with pytest.raises(ValidationError):
        open_round(survey)
    close(first)
    assert open_round(survey).number == 2
    assert Round.objects.filter(survey=survey).count() == 2


def test_a_round_closes_at_local_midnight_after_its_window(org_a):
    org_a.timezone = "Asia/Jakarta"
    org_a.save()
    survey = make_survey(org_a, window_days=3)
    now = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)  # 08:00 in Jakarta
    with org_context(org_a):
        round = services.round_open(organization=org_a, survey=survey, now=now)
    assert round.closes_at == datetime.datetime(
        2026, 3, 4, 17, 0, tzinfo=datetime.UTC
    )  # 5 Mar 00:00 WIB
    assert round.is_open(now) and not round.is_open(round.closes_at)


def test_managers_and_admins_answer_like_everyone_else(org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    round = open_round(make_survey(org_a))
    answer(round, manager)
    assert timezone.now() < round.closes_at
    close(round)
    assert Response.objects.filter(round=round).count() == 1
