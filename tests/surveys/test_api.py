"""The surveys API: answering, refusals, results with the anonymity rules, two organizations."""

import pytest

from advocacy.tenancy.models import Role
from surveys.models import Answer, Participation, Response, Round, Survey

from .factories import close, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db


def api_url(org, path):
    return f"/api/v1/orgs/{org.slug}/surveys/{path}"


def payload(round, value=4, enps=8):
    answers = []
    for question in round.survey.questions.all():
        if question.kind == "text":
            answers.append({"question": question.pk, "value": "Good"})
        elif question.measure == "enps":
            answers.append({"question": question.pk, "value": enps})
        else:
            answers.append({"question": question.pk, "value": value})
    return {"answers": answers}


def test_employee_lists_open_rounds_and_answers_once(api, org_a, employee_a):
    round = open_round(make_survey(org_a))
    client = api.as_member(employee_a)
    listed = client.get(api_url(org_a, "rounds/")).json()["results"]
    assert [r["id"] for r in listed] == [round.pk] and listed[0]["is_open"]
    first = client.post(
        api_url(org_a, f"rounds/{round.pk}/respond/"), payload(round), format="json"
    )
    assert first.status_code == 201
    again = client.post(
        api_url(org_a, f"rounds/{round.pk}/respond/"), payload(round), format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    close(round)
    assert Response.objects.count() == 1 and Participation.objects.count() == 1


def test_out_of_range_answer_is_a_400_naming_the_question(api, org_a, employee_a):
    round = open_round(make_survey(org_a))
    response = api.as_member(employee_a).post(
        api_url(org_a, f"rounds/{round.pk}/respond/"), payload(round, enps=11), format="json"
    )
    assert response.status_code == 400
    enps_question = round.survey.questions.get(measure="enps")
    assert f"q{enps_question.pk}" in response.json()
    assert not Answer.objects.exists() and not Participation.objects.exists()


def test_answers_to_questions_of_another_survey_are_refused(api, org_a, employee_a):
    round = open_round(make_survey(org_a))
    other = make_survey(org_a, template="manager", title="Other")
    body = payload(round)
    body["answers"].append({"question": other.questions.first().pk, "value": 3})
    response = api.as_member(employee_a).post(
        api_url(org_a, f"rounds/{round.pk}/respond/"), body, format="json"
    )
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_answering_a_closed_round_is_a_409(api, org_a, employee_a):
    round = close(open_round(make_survey(org_a)))
    response = api.as_member(employee_a).post(
        api_url(org_a, f"rounds/{round.pk}/respond/"), payload(round), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert not Response.objects.exists()


def test_results_through_the_api_hide_small_and_recoverable_groups(
    api, closed_round, admin_a, teams, org_a
):
    client = api.as_member(admin_a)
    body = client.get(api_url(org_a, f"rounds/{closed_round.pk}/results/")).json()
    groups = {g["key"]: g for g in body["groups"]}
    assert groups["all"]["visible"] and groups["all"]["respondents"] == 15
    assert groups[teams["marketing"].pk] == {
        "key": teams["marketing"].pk,
        "label": "Marketing",
        "visible": False,
        "respondents": None,
        "hidden_because": "below_threshold",
    }
    assert groups[teams["sales"].pk]["hidden_because"] == "complementary"
    assert groups[teams["engineering"].pk]["respondents"] == 7
    enps = next(q for q in body["questions"] if q["enps"])
    assert enps["enps"]["score"] == -7
    rows = {row["group"]: row for row in body["heatmap"]["rows"]}
    assert rows[teams["marketing"].pk]["values"] == [None] * len(body["heatmap"]["questions"])


@pytest.mark.parametrize("team", ["marketing", "sales", "east"])
def test_asking_the_api_for_a_hidden_group_is_refused(
    api, closed_round, admin_a, teams, org_a, team
):
    response = api.as_member(admin_a).get(
        api_url(org_a, f"rounds/{closed_round.pk}/results/"), {"group": teams[team].pk}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "suppressed"
    assert "comment" not in response.content.decode()


def test_a_manager_cannot_reach_groups_outside_their_tree_through_parameters(
    api, closed_round, teams, org_a, member_factory
):
    manager = member_factory(org_a, Role.MANAGER, team=teams["engineering"])
    client = api.as_member(manager)
    own = client.get(api_url(org_a, f"rounds/{closed_round.pk}/results/"))
    assert own.status_code == 200
    assert {g["key"] for g in own.json()["groups"]} == {teams["engineering"].pk}
    for group in ("all", "none", teams["sales"].pk, teams["marketing"].pk, "abc"):
        refused = client.get(api_url(org_a, f"rounds/{closed_round.pk}/results/"), {"group": group})
        assert refused.status_code == 404, group


def test_employees_cannot_read_results(api, closed_round, people, org_a):
    client = api.as_member(people["engineering"][0])
    assert client.get(api_url(org_a, f"rounds/{closed_round.pk}/results/")).status_code == 403


def test_threshold_setting_refuses_less_than_three(api, org_a, admin_a):
    client = api.as_member(admin_a)
    assert (
        client.patch(
            api_url(org_a, "settings/current/"), {"anonymity_threshold": 2}, format="json"
        ).status_code
        == 400
    )
    assert client.get(api_url(org_a, "settings/current/")).json() == {"anonymity_threshold": 5}
    assert client.patch(
        api_url(org_a, "settings/current/"), {"anonymity_threshold": 3}, format="json"
    ).json() == {"anonymity_threshold": 3}


def test_admin_creates_a_survey_from_a_template_and_opens_a_round(api, org_a, admin_a):
    team = make_team(org_a, "Sales")
    client = api.as_member(admin_a)
    created = client.post(
        api_url(org_a, "surveys/"),
        {
            "title": "eNPS",
            "template": "enps",
            "recurrence": "quarterly",
            "window_days": 7,
            "audience": [team.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "enps" and [q["measure"] for q in body["questions"]] == [
        "enps",
        "enps_why",
    ]
    assert (
        body["questions"][0]["text"]
        == "How likely are you to recommend Acme Test as a place to work?"
    )
    assert body["audience_team_ids"] == [team.pk]
    opened = client.post(api_url(org_a, f"surveys/{body['id']}/open-round/"))
    assert opened.status_code == 201 and opened.json()["number"] == 1


def test_the_eleventh_question_is_refused(api, org_a, admin_a):
    survey = make_survey(org_a, template="engagement")  # 7
    client = api.as_member(admin_a)
    for key in ("mgr_support", "mgr_feedback", "mgr_oneonone"):
        assert (
            client.post(
                api_url(org_a, "questions/"), {"survey": survey.pk, "bank_key": key}, format="json"
            ).status_code
            == 201
        )
    refused = client.post(
        api_url(org_a, "questions/"),
        {"survey": survey.pk, "kind": "agree5", "text_en": "More?"},
        format="json",
    )
    assert refused.status_code == 400
    assert survey.questions.count() == 10


def test_window_longer_than_the_period_is_refused(api, org_a, admin_a):
    response = api.as_member(admin_a).post(
        api_url(org_a, "surveys/"),
        {"title": "Weekly", "recurrence": "weekly", "window_days": 9},
        format="json",
    )
    assert response.status_code == 400 and "window_days" in response.json()["errors"]
    assert not Survey.objects.exists()


def test_acting_on_another_organizations_round_is_a_404_and_changes_nothing(
    api, org_a, admin_a, org_b, admin_b, member_factory
):
    theirs = open_round(make_survey(org_b))
    client = api.as_member(admin_a)
    assert client.get(api_url(org_a, f"rounds/{theirs.pk}/")).status_code == 404
    assert client.get(api_url(org_a, f"rounds/{theirs.pk}/results/")).status_code == 404
    assert (
        client.post(
            api_url(org_a, f"rounds/{theirs.pk}/respond/"), payload(theirs), format="json"
        ).status_code
        == 404
    )
    assert client.post(api_url(org_a, f"rounds/{theirs.pk}/close/")).status_code == 404
    assert client.post(api_url(org_a, f"surveys/{theirs.survey_id}/open-round/")).status_code == 404
    assert (
        client.patch(
            api_url(org_a, f"surveys/{theirs.survey_id}/"), {"title": "Pwned"}, format="json"
        ).status_code
        == 404
    )
    assert client.get(api_url(org_b, f"rounds/{theirs.pk}/results/")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open() and Round.objects.filter(survey_id=theirs.survey_id).count() == 1
    assert Survey.objects.get(pk=theirs.survey_id).title == "Pulse"
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_question_cannot_be_added_to_another_organizations_survey(api, org_a, admin_a, org_b):
    theirs = make_survey(org_b, template=None)
    response = api.as_member(admin_a).post(
        api_url(org_a, "questions/"), {"survey": theirs.pk, "bank_key": "enps"}, format="json"
    )
    assert response.status_code == 400 and "survey" in response.json()["errors"]
    assert not theirs.questions.exists()
