"""Dashboards: rollups only (never the raw clicks), managers see their tree only,
filters combine, bad date ranges get a clear error, every table exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from advocacy.tenancy.models import Role
from analytics.dashboards.benchmarks import platform_benchmarks_compute
from analytics.models import ClickEvent, PlatformBenchmark
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from analytics.services import analytics_settings_update
from tests.analytics.factories import CampaignFactory, ShareFactory
from tests.factories import OrganizationFactory, TeamFactory

pytestmark = pytest.mark.django_db

PAGES = ["overview", "value", "benchmarks", "trends", "campaigns", "content", "team", "me"]


def _activity(share, day, **metrics):
    rollups_add([Fact(share.pk, day, metrics)])


@pytest.fixture
def program(org_a, member_factory):
    """Two teams, a manager over one of them, shares and clicks in both."""
    sales, tech = (
        TeamFactory(organization=org_a, name="Sales"),
        TeamFactory(organization=org_a, name="Tech"),
    )
    manager = member_factory(org_a, Role.MANAGER, team=sales)
    seller = member_factory(org_a, team=sales, manager=manager)
    engineer = member_factory(org_a, team=tech)
    launch = CampaignFactory(organization=org_a, name="Launch")
    today = timezone.localdate()
    seller_share = ShareFactory(
        organization=org_a, membership=seller, campaign=launch, published_at=timezone.now()
    )
    seller_other = ShareFactory(
        organization=org_a, membership=seller, channel="x", published_at=timezone.now()
    )
    engineer_share = ShareFactory(
        organization=org_a, membership=engineer, campaign=launch, published_at=timezone.now()
    )
    _activity(
        seller_share,
        today,
        shares=1,
        clicks=10,
        unique_clicks=8,
        bot_clicks=3,
        impressions=1000,
        reactions=40,
        potential_reach=500,
        conversions=2,
    )
    _activity(seller_other, today - dt.timedelta(days=2), shares=1, clicks=5, unique_clicks=5)
    _activity(engineer_share, today, shares=1, clicks=100, unique_clicks=90, impressions=4000)
    return {
        "manager": manager,
        "seller": seller,
        "engineer": engineer,
        "campaign": launch,
        "sales": sales,
        "tech": tech,
        "today": today,
    }


def _url(org, page):
    return f"/o/{org.slug}/analytics/{page}/" if page != "overview" else f"/o/{org.slug}/analytics/"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("page", PAGES)
def test_dashboards_read_rollups_only_in_a_few_queries(
    web, admin_a, program, page, django_assert_max_num_queries
):
    client = web.as_member(admin_a)
    ClickEvent.objects.create(
        organization=admin_a.organization,
        link_id=1,
        share_id=1,
        click_id="raw",
        clicked_at=timezone.now(),
        visitor_hash="x",
        is_unique=True,
    )
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(40):
        response = client.get(_url(admin_a.organization, page))
    assert response.status_code == 200
    assert not [q["sql"] for q in queries if ClickEvent._meta.db_table in q["sql"]]


def test_the_overview_shows_the_programs_numbers(web, admin_a, program):
    response = web.as_member(admin_a).get(_url(admin_a.organization, "overview"))
    page = response.context["page"]
    headline = page.extra["headline"]
    assert (
        headline["shares"],
        headline["clicks"],
        headline["unique_clicks"],
        headline["bot_clicks"],
    ) == (3, 115, 103, 3)
    assert headline["active_advocates"] == 2
    assert headline["enrolled"] == 4  # admin, manager, seller, engineer
    assert headline["participation_rate"] == 0.5
    assert headline["engagement_rate"] == 40 / 5000
    body = response.content.decode()
    assert "Estimate" in body and "Verified" in body  # potential reach vs impressions, labelled
    # A figure in a card's note reads as the card beside it does: 5,000, not 5000.
    assert "÷ 5,000 impressions" in body and "÷ 103 unique clicks" in body


def test_the_overview_charts_every_day_and_sentiment_only_where_comments_were_scored(
    web, admin_a, program
):
    today = program["today"]
    share = ShareFactory(organization=admin_a.organization, membership=program["engineer"])
    # Four comments scored yesterday: three at +1, one at -1 (sums in thousandths).
    _activity(
        share,
        today - dt.timedelta(days=1),
        sentiment_count=4,
        sentiment_sum=2000,
        positive_comments=3,
        negative_comments=1,
    )
    response = web.as_member(admin_a).get(
        _url(admin_a.organization, "overview"),
        {"start": (today - dt.timedelta(days=6)).isoformat(), "end": today.isoformat()},
    )
    tables = {table.key: table for table in response.context["page"].tables}
    activity = {row[0]: row[1:] for row in tables["activity"].rows}
    assert list(activity) == [today - dt.timedelta(days=n) for n in range(6, -1, -1)]
    assert activity[today][:2] == [2, 110]  # shares, human clicks
    assert activity[today - dt.timedelta(days=2)][:2] == [1, 5]
    assert activity[today - dt.timedelta(days=1)][:2] == [0, 0]
    # Sentiment: only the day with scored comments: score, comments, +, neutral, -.
    assert tables["sentiment"].rows == [[today - dt.timedelta(days=1), 0.5, 4, 3, 0, 1]]


def test_a_manager_sees_only_their_tree_even_when_picking_another_team(web, program):
    client = web.as_member(program["manager"])
    org = program["manager"].organization
    own = client.get(_url(org, "overview")).context["page"].extra["headline"]
    assert (own["shares"], own["clicks"]) == (2, 15)
    other = (
        client.get(_url(org, "overview"), {"team": program["tech"].pk})
        .context["page"]
        .extra["headline"]
    )
    assert (other["shares"], other["clicks"]) == (0, 0)
    people = client.get(_url(org, "team")).context["page"].table("people")
    names = {row[0] for row in people.rows}
    assert program["engineer"].user.get_full_name() not in names
    assert program["seller"].user.get_full_name() in names


def test_team_and_campaign_filters_combine(web, admin_a, program):
    client = web.as_member(admin_a)
    response = client.get(
        _url(admin_a.organization, "overview"),
        {"team": program["sales"].pk, "campaign": program["campaign"].pk},
    )
    headline = response.context["page"].extra["headline"]
    assert (headline["shares"], headline["clicks"], headline["conversions"]) == (1, 10, 2)
    network_only = client.get(_url(admin_a.organization, "overview"), {"network": "x"}).context[
        "page"
    ]
    assert network_only.extra["headline"]["clicks"] == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "start date is after the end date"),
        ({"start": "1900-01-01", "end": "1900-02-01"}, "between 2000"),
        ({"start": "2001-01-01", "end": "2025-01-01"}, "at most three years"),
        ({"start": "not-a-date"}, "valid date"),
    ],
)
def test_reversed_or_absurd_date_ranges_get_a_clear_error(web, admin_a, program, params, message):
    response = web.as_member(admin_a).get(_url(admin_a.organization, "overview"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_htmx_filters_swap_only_the_body(web, admin_a, program):
    response = web.as_member(admin_a).get(
        _url(admin_a.organization, "overview"), {"network": "x"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'data-table="activity"' in body


def test_every_table_exports_as_csv_and_xlsx_with_the_same_numbers(web, admin_a, program):
    client = web.as_member(admin_a)
    org = admin_a.organization
    page = client.get(_url(org, "team")).context["page"]
    for table in page.tables:
        response = client.get(_url(org, "team"), {"export": "csv", "table": table.key})
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        rows = _csv(response)
        assert rows[0] == [str(c.label) for c in table.columns]
        assert len(rows) == len(table.rows) + 1
        xlsx = client.get(_url(org, "team"), {"export": "xlsx", "table": table.key})
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row == len(table.rows) + 1
    people = _csv(client.get(_url(org, "team"), {"export": "csv", "table": "people"}))
    assert [program["engineer"].user.get_full_name(), "Tech", "1", "100", "90", "0", "0"] in people
    assert client.get(_url(org, "team"), {"export": "csv", "table": "nope"}).status_code == 404


def test_employees_see_their_own_results_only(web, program):
    seller = program["seller"]
    client = web.as_member(seller)
    org = seller.organization
    assert client.get(_url(org, "overview")).status_code == 403
    mine = client.get(_url(org, "me"))
    assert mine.status_code == 200
    assert mine.context["page"].extra["headline"]["clicks"] == 15
    # A team filter cannot widen it.
    assert (
        client.get(_url(org, "me"), {"team": program["tech"].pk})
        .context["page"]
        .extra["headline"]["clicks"]
        == 15
    )


def test_another_organizations_dashboards_are_a_404(web, admin_a, org_b):
    assert web.as_member(admin_a).get(_url(org_b, "overview")).status_code == 404


def test_value_uses_the_organizations_formula(web, admin_a, program):
    org = admin_a.organization
    analytics_settings_update(
        organization=org,
        actor=admin_a,
        cpm_by_network={"linkedin": "10.00", "x": "0"},
        cost_per_click="1.00",
        value_per_engagement="0.50",
        monthly_program_cost="0",
    )
    page = web.as_member(admin_a).get(_url(org, "value")).context["page"]
    # LinkedIn: 5000 impressions × 10 / 1000 + 110 clicks × 1 + 40 engagements × 0.5; X: 5 clicks × 1
    assert float(page.extra["emv"]) == 50 + 110 + 20 + 5
    assert page.extra["roi"] is None  # no cost: no ratio to show


def test_platform_percentiles_appear_only_with_five_organizations(web, admin_a, program):
    def contribute(n):
        for i in range(n):
            other = OrganizationFactory(slug=f"peer-{i}")
            share = ShareFactory(organization=other, published_at=timezone.now())
            _activity(share, timezone.localdate() - dt.timedelta(days=1), shares=1, clicks=i + 1)

    yesterday_share = ShareFactory(organization=admin_a.organization, published_at=timezone.now())
    _activity(yesterday_share, timezone.localdate() - dt.timedelta(days=1), shares=1, clicks=1)
    contribute(3)
    assert platform_benchmarks_compute() == 4
    compare = (
        web.as_member(admin_a)
        .get(_url(admin_a.organization, "benchmarks"))
        .context["page"]
        .table("compare")
    )
    assert all(row[4] is None for row in compare.rows)  # median hidden with 4 organizations
    contribute_more = OrganizationFactory(slug="peer-late")
    _activity(
        ShareFactory(organization=contribute_more, published_at=timezone.now()),
        timezone.localdate() - dt.timedelta(days=1),
        shares=1,
        clicks=9,
    )
    assert platform_benchmarks_compute() == 5
    assert PlatformBenchmark.objects.get(metric="clicks_per_share").organizations == 5
    compare = (
        web.as_member(admin_a)
        .get(_url(admin_a.organization, "benchmarks"))
        .context["page"]
        .table("compare")
    )
    clicks_row = next(row for row in compare.rows if row[0] == "Clicks per share")
    assert clicks_row[4] == 3.0  # the median of 1, 2, 3 (peers), 3 (us: 6 clicks / 2 shares) and 9
