"""Headline figures (mean, % favorable, eNPS score) as an attacker reads them.

Engineering (10 people) splits 5 "strongly disagree"/eNPS 0 and 5 "agree"/eNPS 10.
Design (6) has one dissenter: 1 and 0, the five others 4 and 10. Threshold 5.

Design's own counts hold a 1, so Design is hidden; Everyone's counts minus
Engineering's would give Design's back, so Everyone's option counts are hidden
too. A headline is arithmetic over the same counts: Everyone's eNPS (25 over 16
people) minus Engineering's (0 over 10, shown) leaves Design's P − D = 4 of 6, which
puts the dissenter back. So wherever the counts are hidden no headline may be read
either: results API under every group filter, its heat map, the results page, the
CSV export and the eNPS trend (API and pages)."""

import csv
import io

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Role
from surveys.anonymity import ALL
from surveys.models import QuestionKind

from .factories import answer, close, make_people, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def dissent(org_a, django_capture_on_commit_callbacks):
    engineering, design = make_team(org_a, "Engineering"), make_team(org_a, "Design")
    survey = make_survey(org_a, template="engagement")
    with django_capture_on_commit_callbacks(execute=True):
        round = open_round(survey)
    for index, member in enumerate(make_people(org_a, engineering, 10)):
        low = index < 5
        answer(round, member, {QuestionKind.AGREE5: 1 if low else 4}, enps=0 if low else 10)
    for index, member in enumerate(make_people(org_a, design, 6)):
        low = index == 0
        answer(round, member, {QuestionKind.AGREE5: 1 if low else 4}, enps=0 if low else 10)
    return {"round": close(round), "survey": survey, "engineering": engineering, "design": design}


def _results(api, member, round, group=None):
    path = f"/api/v1/orgs/{member.organization.slug}/surveys/rounds/{round.pk}/results/"
    response = api.as_member(member).get(path, {"group": group} if group else {})
    return response.status_code, response.json()


def _headlines(question) -> list:
    enps = question["enps"] or {}
    return [question["mean"], question["favorable"], enps.get("score")]


def test_no_headline_is_read_where_the_counts_are_hidden_under_any_filter(api, admin_a, dissent):
    shown_anywhere = 0
    for group in (ALL, dissent["engineering"].pk, dissent["design"].pk):
        status, body = _results(api, admin_a, dissent["round"], group)
        if status != 200:
            continue  # the Design filter is refused outright: nothing to read
        for question in body["questions"]:
            if question["kind"] not in (QuestionKind.AGREE5, QuestionKind.SCALE10):
                continue
            if question["distribution_hidden"] or question["hidden"]:
                assert _headlines(question) == [None, None, None], (group, question)
            else:
                shown_anywhere += 1
                assert question["mean"] is not None
        heat = body["heatmap"]
        for row in heat["rows"]:
            for question_id, value in zip(heat["questions"], row["values"], strict=True):
                if value is None:
                    continue
                # a heat map cell is shown only where that group's counts are
                status, cell = _results(api, admin_a, dissent["round"], row["group"])
                assert status == 200
                question = next(q for q in cell["questions"] if q["id"] == question_id)
                assert not question["distribution_hidden"], (row["group"], question_id)
    assert shown_anywhere  # Engineering's 5/5 split is safe and is shown


def test_everyones_enps_cannot_be_subtracted_from_engineerings(api, admin_a, dissent):
    _status, everyone = _results(api, admin_a, dissent["round"])
    _status, engineering = _results(api, admin_a, dissent["round"], dissent["engineering"].pk)
    enps_everyone = next(q for q in everyone["questions"] if q["enps"])
    enps_engineering = next(q for q in engineering["questions"] if q["enps"])
    assert enps_engineering["enps"]["score"] == 0  # 5 promoters, 5 detractors: safe
    assert enps_everyone["enps"]["score"] is None
    assert enps_everyone["respondents"] == 16  # how many answered is still shown
    row = next(r for r in everyone["heatmap"]["rows"] if r["group"] == ALL)
    assert all(value is None for value in row["values"])


def test_the_results_page_and_csv_show_no_headline_over_hidden_counts(web, admin_a, dissent):
    client, org, round = web.as_member(admin_a), admin_a.organization, dissent["round"]
    kwargs = {"org_slug": org.slug, "pk": round.pk}
    page = client.get(reverse("surveys:results", kwargs=kwargs)).content.decode()
    assert 'data-testid="enps-score"' not in page
    assert "favorable · mean" not in page and "mean None" not in page
    assert "Figures hidden to protect anonymity" in page
    engineering = client.get(
        reverse("surveys:results", kwargs=kwargs), {"group": dissent["engineering"].pk}
    ).content.decode()
    assert 'data-testid="enps-score">0<' in engineering
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("surveys:export", kwargs=kwargs)).content.decode())
        )
    )
    header = rows[0]
    figures = [header.index(name) for name in ("Mean", "Favorable %", "eNPS")]
    for row in rows[1:]:
        if row[header.index("Distribution")] == "hidden":
            assert [row[i] for i in figures] == ["", "", ""], row
    everyone = [row for row in rows[1:] if row[0] == "Everyone"]
    assert everyone and all(row[header.index("Distribution")] in ("hidden", "") for row in everyone)


def test_the_page_says_so_in_bahasa_indonesia(web, admin_a, dissent):
    client, org, round = web.as_member(admin_a), admin_a.organization, dissent["round"]
    page = client.get(
        reverse("surveys:results", kwargs={"org_slug": org.slug, "pk": round.pk}),
        HTTP_ACCEPT_LANGUAGE="id",
    ).content.decode()
    assert "Angka disembunyikan untuk menjaga anonimitas" in page


def test_the_enps_trend_gives_no_score_over_hidden_counts(api, admin_a, dissent, member_factory):
    survey = dissent["survey"]
    path = f"/api/v1/orgs/{admin_a.organization.slug}/surveys/surveys/{survey.pk}/enps-trend/"
    trend = api.as_member(admin_a).get(path).json()
    assert [(e["score"], e["suppressed"], e["promoters"]) for e in trend] == [(None, True, None)]
    engineering_manager = member_factory(
        admin_a.organization, Role.MANAGER, team=dissent["engineering"]
    )
    trend = api.as_member(engineering_manager).get(path).json()
    assert [(e["score"], e["suppressed"]) for e in trend] == [(0, False)]
    design_manager = member_factory(admin_a.organization, Role.MANAGER, team=dissent["design"])
    trend = api.as_member(design_manager).get(path).json()
    assert [(e["score"], e["suppressed"]) for e in trend] == [(None, True)]


def test_the_manage_page_trend_shows_no_score_over_hidden_counts(web, admin_a, dissent):
    page = (
        web.as_member(admin_a)
        .get(reverse("surveys:manage", kwargs={"org_slug": admin_a.organization.slug}))
        .content.decode()
    )
    assert ">25<" not in page


def test_program_feedback_shows_no_percentage_over_hidden_counts(
    web, admin_a, org_a, django_capture_on_commit_callbacks
):
    """Six advocates, one of whom does not feel supported: 83% favorable would say so."""
    team = make_team(org_a, "Advocates")
    survey = make_survey(org_a, template="program")
    with django_capture_on_commit_callbacks(execute=True):
        round = open_round(survey)
    for index, member in enumerate(make_people(org_a, team, 6)):
        answer(round, member, {QuestionKind.AGREE5: 1 if index == 0 else 4})
    close(round)
    page = (
        web.as_member(admin_a)
        .get(reverse("surveys:manage", kwargs={"org_slug": org_a.slug}))
        .content.decode()
    )
    feedback = page[page.index('data-testid="program-feedback"') :]
    feedback = feedback[: feedback.index("</ul>")]
    assert "83%" not in feedback and "%" not in feedback.split("feel supported")[0]
