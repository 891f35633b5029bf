"""Benchmarks that explain themselves, and rates that read one way everywhere.

Below five contributing organizations the platform columns say how many more are
needed (in words, in both languages) instead of a dash. A rate, here a participation
of one advocate in two enrolled, reads "50.0%" on every dashboard page that shows it,
in the CSV and (as a percentage-formatted 0.5) in the XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from analytics.dashboards.benchmarks import platform_benchmarks_compute
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from tests.analytics.factories import ShareFactory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _url(org, page: str) -> str:
    return f"/o/{org.slug}/analytics/{page}/" if page != "overview" else f"/o/{org.slug}/analytics/"


def _shared_yesterday(organization, membership=None, clicks=4) -> None:
    fields = {"membership": membership} if membership else {}
    share = ShareFactory(organization=organization, published_at=timezone.now(), **fields)
    rollups_add(
        [
            Fact(
                share.pk,
                timezone.localdate() - dt.timedelta(days=1),
                {"shares": 1, "clicks": clicks},
            )
        ]
    )


def _peers(n: int, start: int = 0) -> None:
    for index in range(start, start + n):
        _shared_yesterday(OrganizationFactory(slug=f"peer-{index}"), clicks=index + 1)


def _compare_rows(html: str) -> dict[str, list[str]]:
    section = re.search(r'data-table="compare".*?</section>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def program(org_a, admin_a, employee_a):
    """Two people enrolled, one of whom shared: participation 50%."""
    _shared_yesterday(org_a, employee_a)
    return admin_a


def test_below_five_organizations_the_page_says_how_many_more_are_needed(web, program):
    admin = program
    _peers(2)
    assert platform_benchmarks_compute() == 3
    html = web.as_member(admin).get(_url(admin.organization, "benchmarks")).content.decode()
    clicks = _compare_rows(html)["Clicks per share"]
    # Us, industry, p25, p50, p75, organizations
    assert clicks[2:5] == ["2 more organizations needed"] * 3
    assert clicks[5] == "3"
    assert "—" not in html

    _peers(1, start=2)
    platform_benchmarks_compute()
    html = web.as_member(admin).get(_url(admin.organization, "benchmarks")).content.decode()
    assert _compare_rows(html)["Clicks per share"][2:5] == ["1 more organization needed"] * 3

    admin.user.preferred_language = "id"
    admin.user.save(update_fields=["preferred_language"])
    html = (
        web.as_member(admin)
        .get(_url(admin.organization, "benchmarks"), HTTP_ACCEPT_LANGUAGE="id")
        .content.decode()
    )
    assert html.count("perlu 1 organisasi lagi") >= 3


def test_from_five_organizations_the_percentiles_show(web, program):
    admin = program
    _peers(4)
    assert platform_benchmarks_compute() == 5
    html = web.as_member(admin).get(_url(admin.organization, "benchmarks")).content.decode()
    clicks = _compare_rows(html)["Clicks per share"]
    assert clicks[3] == "3.00"  # the median of 1, 2, 3, 4 (peers) and 4 (us)
    assert "needed" not in html


def test_a_rate_reads_the_same_on_every_page_and_in_every_export(web, program):
    admin = program
    client = web.as_member(admin)
    org = admin.organization
    overview = client.get(_url(org, "overview")).content.decode()
    assert re.search(r"Participation rate</div>\s*<div[^>]*>50\.0%</div>", overview)

    benchmarks = client.get(_url(org, "benchmarks")).content.decode()
    assert _compare_rows(benchmarks)["Participation rate"][0] == "50.0%"
    period = re.search(r'data-table="period".*?</section>', benchmarks, re.S).group(0)
    assert re.search(r"<td>Participation rate</td>\s*<td[^>]*>50\.0%</td>", period)
    assert re.search(r"<td>Shares</td>\s*<td[^>]*>1</td>", period)  # counts stay counts

    exported = client.get(_url(org, "benchmarks"), {"export": "csv", "table": "compare"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    participation = next(row for row in rows if row[0] == "Participation rate")
    assert participation[1] == "50.0%"

    xlsx = client.get(_url(org, "benchmarks"), {"export": "xlsx", "table": "compare"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cell = next(row for row in sheet.iter_rows() if row[0].value == "Participation rate")[1]
    assert (cell.value, cell.number_format) == (0.5, "0.0%")

    admin.user.preferred_language = "id"
    admin.user.save(update_fields=["preferred_language"])
    indonesian = client.get(_url(org, "overview"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "50,0%" in indonesian
