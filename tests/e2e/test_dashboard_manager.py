"""A manager filters the analytics dashboard to their team and a campaign, sees the
numbers change, and downloads the table as CSV; the dashboard fits a phone."""

import csv
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.tenancy.models import Role
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from tests.analytics.factories import CampaignFactory, ShareFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _activity(share, **metrics):
    rollups_add([Fact(share.pk, timezone.localdate(), metrics)])


@pytest.fixture
def manager_program(org_a, member_factory):
    sales = TeamFactory(organization=org_a, name="Sales")
    east = TeamFactory(organization=org_a, name="Sales East", parent=sales)
    manager = member_factory(org_a, Role.MANAGER, team=sales)
    rep = member_factory(org_a, team=east, manager=manager)
    colleague = member_factory(org_a, team=sales, manager=manager)
    launch = CampaignFactory(organization=org_a, name="Spring launch")
    _activity(
        ShareFactory(
            organization=org_a, membership=rep, campaign=launch, published_at=timezone.now()
        ),
        shares=1,
        clicks=12,
        unique_clicks=9,
    )
    _activity(
        ShareFactory(organization=org_a, membership=colleague, published_at=timezone.now()),
        shares=1,
        clicks=30,
        unique_clicks=25,
    )
    return {"manager": manager, "east": east, "launch": launch}


def test_manager_filters_to_team_and_campaign_and_downloads_csv(
    page, login, password, manager_program, org_a
):
    manager = manager_program["manager"]
    login(page, manager.user.email, password)
    page.goto(f"/o/{org_a.slug}/analytics/")
    expect(page.locator("h1")).to_have_text("Program overview")
    cards = page.get_by_test_id("dashboard-cards")
    expect(cards).to_contain_text("42")  # 12 + 30 human clicks in the manager's tree

    page.select_option("#id_team", str(manager_program["east"].pk))
    expect(page).to_have_url(re.compile(r"team=\d+"))
    page.select_option("#id_campaign", str(manager_program["launch"].pk))
    expect(page).to_have_url(re.compile(r"campaign=\d+"))
    expect(cards).to_contain_text("12")
    expect(cards).not_to_contain_text("42")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv-activity").click()
    download = download_info.value
    assert re.match(r"chorus-overview-activity-.*\.csv", download.suggested_filename)
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0][:3] == ["Day", "Shares", "Human clicks"]
    assert sum(int(row[2]) for row in rows[1:]) == 12


def test_the_dashboard_fits_a_phone(phone_page, login, password, manager_program, org_a):
    login(phone_page, manager_program["manager"].user.email, password)
    phone_page.goto(f"/o/{org_a.slug}/analytics/")
    expect(phone_page.get_by_test_id("dashboard-cards")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the dashboard scrolls sideways on a phone"
