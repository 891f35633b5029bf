"""Results through the pages and the CSV export: the threshold and subtraction rules on
the crafted teams of conftest.py, managers limited to their own tree."""

import csv
import io

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Role
from surveys import selectors, services
from surveys.anonymity import ALL

from .factories import answer, close, make_survey, open_round

pytestmark = pytest.mark.django_db


def url(org, name, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_admin_sees_everyone_and_engineering_while_small_and_recoverable_groups_are_hidden(
    closed_round, admin_a, teams
):
    results = selectors.round_results(
        organization=admin_a.organization, round=closed_round, viewer=admin_a
    )
    shown = {row.key: row for row in results.groups}
    assert shown[ALL].visible and shown[ALL].respondents == 15
    assert (
        shown[teams["engineering"].pk].visible and shown[teams["engineering"].pk].respondents == 7
    )
    assert shown[teams["marketing"].pk].hidden_because == "below_threshold"
    assert shown[teams["sales"].pk].hidden_because == "complementary"
    assert not shown[teams["east"].pk].visible
    assert shown[teams["marketing"].pk].respondents is None  # not even the size is shown
    enps = next(q for q in results.questions if q.enps)
    assert enps.enps == {
        "promoters": 7,
        "passives": 0,
        "detractors": 8,
        "responses": 15,
        "score": -7,
    }


def test_results_page_shows_hidden_rows_without_their_numbers(
    web, closed_round, admin_a, teams, django_assert_max_num_queries
):
    client = web.as_member(admin_a)
    with django_assert_max_num_queries(20):
        response = client.get(url(admin_a.organization, "results", pk=closed_round.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-group="{teams["marketing"].pk}" data-visible="false"' in page
    assert f'data-group="{teams["sales"].pk}" data-visible="false"' in page
    assert f'data-group="{teams["engineering"].pk}" data-visible="true"' in page
    assert "marketing comment" in page  # inside everyone's 15, a comment is anonymous
    engineering = client.get(
        url(admin_a.organization, "results", pk=closed_round.pk), {"group": teams["engineering"].pk}
    )
    assert "engineering comment 0" in engineering.content.decode()
    assert "marketing comment" not in engineering.content.decode()


@pytest.mark.parametrize("team", ["marketing", "sales", "east"])
def test_asking_for_a_hidden_group_is_refused_in_the_page(web, closed_round, admin_a, teams, team):
    response = web.as_member(admin_a).get(
        url(admin_a.organization, "results", pk=closed_round.pk), {"group": teams[team].pk}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "hidden to protect anonymity" in page
    assert f"{team} comment" not in page


def test_a_manager_sees_only_their_own_tree(web, closed_round, sales_manager, teams, org_a):
    # Sales (6 respondents) is hidden for everyone, so its manager gets a refusal, not numbers.
    client = web.as_member(sales_manager)
    response = client.get(url(org_a, "results", pk=closed_round.pk))
    assert response.status_code == 403
    assert (
        client.get(
            url(org_a, "results", pk=closed_round.pk), {"group": teams["engineering"].pk}
        ).status_code
        == 404
    )
    assert (
        client.get(url(org_a, "results", pk=closed_round.pk), {"group": "all"}).status_code == 404
    )


def test_an_engineering_manager_sees_their_team_but_not_the_organization(
    web, closed_round, teams, org_a, member_factory
):
    manager = member_factory(org_a, Role.MANAGER, team=teams["engineering"])
    client = web.as_member(manager)
    response = client.get(url(org_a, "results", pk=closed_round.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-group="all"' not in page and f'data-group="{teams["sales"].pk}"' not in page
    assert "engineering comment" in page and "marketing comment" not in page


def test_employees_cannot_open_results(web, closed_round, people, org_a):
    assert (
        web.as_member(people["engineering"][0])
        .get(url(org_a, "results", pk=closed_round.pk))
        .status_code
        == 403
    )


def test_results_wait_for_the_round_to_close(web, org_a, admin_a, people):
    round = open_round(make_survey(org_a))
    for member in people["engineering"]:
        answer(round, member)
    response = web.as_member(admin_a).get(url(org_a, "results", pk=round.pk))
    assert response.status_code == 403
    assert "when the round closes" in response.content.decode()


def test_csv_export_applies_the_same_rules(web, closed_round, admin_a, teams, org_a):
    response = web.as_member(admin_a).get(url(org_a, "export", pk=closed_round.pk))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_group = {}
    for row in rows[1:]:
        by_group.setdefault(row[0], []).append(row)
    assert by_group["Marketing"] == [["Marketing", "hidden", "", "", "", "", "", "", ""]]
    assert by_group["Sales"][0][1] == "hidden"
    assert by_group["Engineering"][0][1] == "7"
    text = response.content.decode()
    assert text.count("marketing comment") == 2  # only inside Everyone's row
    assert "Engineering" in text and "engineering comment 3" in text


def test_a_higher_threshold_hides_more_in_rounds_that_close_under_it(org_a, people, admin_a):
    services.survey_settings_update(organization=org_a, anonymity_threshold=8)
    round = open_round(make_survey(org_a))
    for members in people.values():
        for member in members:
            answer(round, member)
    round = close(round)
    results = selectors.round_results(organization=org_a, round=round, viewer=admin_a)
    assert [row.key for row in results.groups if row.visible] == [ALL]


def test_enps_trend_for_analytics_applies_suppression(closed_round, org_a, teams):
    day = closed_round.closes_at.date()
    trend = selectors.enps_trend(organization=org_a, start=day, end=day)
    assert trend == [
        {
            "round_id": closed_round.pk,
            "survey_id": closed_round.survey_id,
            "survey": "Pulse",
            "round": 1,
            "period": trend[0]["period"],
            "score": -7,
            "responses": 15,
            "promoters": 7,
            "passives": 0,
            "detractors": 8,
            "suppressed": False,
        }
    ]
    assert (
        selectors.enps_trend(
            organization=org_a, start=day, end=day, team_ids=[teams["engineering"].pk]
        )[0]["score"]
        == 100
    )
    hidden = selectors.enps_trend(
        organization=org_a, start=day, end=day, team_ids=[teams["marketing"].pk]
    )[0]
    assert hidden["suppressed"] and hidden["score"] is None and hidden["responses"] is None


def test_enps_trend_follows_rounds(org_a, people):
    survey = make_survey(org_a, template="enps")
    # Each score chosen by all seven or by none: a 5/2 split would hide the score (the two
    # detractors could be read back from it; see test_headline_figures).
    for scores in ([10] * 7, [8] * 7):
        round = open_round(survey)
        for member, score in zip(people["engineering"], scores, strict=True):
            answer(round, member, enps=score)
        round = close(round)
    day = round.closes_at.date()
    trend = selectors.enps_trend(organization=org_a, start=day, end=day)
    assert [row["score"] for row in trend] == [100, 0]  # all promoters, then all passives


def test_program_feedback_summary(org_a, people):
    survey = make_survey(org_a, template="program", title="Program")
    round = open_round(survey)
    for index, member in enumerate(people["engineering"]):
        answer(
            round, member, {"agree5": 5}
        )  # a 5/2 split would hide the % (see test_headline_figures)
    round = close(round)
    day = round.closes_at.date()
    summary = selectors.program_feedback_summary(organization=org_a, start=day, end=day)
    assert summary["rounds"] == 1 and summary["responses"] == 7
    assert summary["supported"] == 1 and summary["empowered"] == 1  # rates: everyone agreed


def test_survey_pages_list_things_in_few_queries(
    web, closed_round, admin_a, org_a, django_assert_max_num_queries
):
    client = web.as_member(admin_a)
    make_survey(org_a, template="manager", title="Managers")
    with django_assert_max_num_queries(20):
        assert client.get(url(org_a, "manage")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url(org_a, "survey", pk=closed_round.survey_id)).status_code == 200
