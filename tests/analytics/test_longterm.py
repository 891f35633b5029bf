"""The long-term page as an HR admin reads it: advocates' retention against everyone
else's from start and leave dates, awareness over time with its definitions on the
page, and words (never zeros) where there is no data. In English and Indonesian.

People leave the way the product records it: an admin deactivates them (the tenancy
service records the leave date), or gives a leave date with it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from advocacy.tenancy.models import Membership, Role
from advocacy.tenancy.services import membership_update
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from tests.analytics.factories import ShareFactory

pytestmark = pytest.mark.django_db

URL = "/o/{slug}/analytics/trends/"


def _cards(html: str) -> dict[str, tuple[str, str]]:
    """Each headline card: label -> (figure, note), as the reader sees them."""
    found = re.findall(
        r'<div class="small text-body-secondary">([^<]*)</div>\s*'
        r'<div class="fs-4 fw-semibold">([^<]*)</div>\s*'
        r'(?:<div class="small text-body-secondary">([^<]*)</div>)?',
        html,
    )
    return {label.strip(): (value.strip(), note.strip()) for label, value, note in found}


def _table_rows(html: str, key: str) -> list[list[str]]:
    section = re.search(rf'data-table="{key}".*?</section>', html, re.S).group(0)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
        if "<td" in row
    ]


def _hired(member, days_ago: int) -> Membership:
    member.hire_date = timezone.localdate() - dt.timedelta(days=days_ago)
    member.save(update_fields=["hire_date"])
    return member


def _shares(member, day: dt.date, **metrics) -> None:
    share = ShareFactory(
        organization=member.organization, membership=member, published_at=timezone.now()
    )
    rollups_add([Fact(share.pk, day, {"shares": 1, **metrics})])


@pytest.fixture
def company(org_a, admin_a, member_factory):
    """Four advocates and four colleagues who never shared, all hired two years ago;
    one advocate and two colleagues leave during the year; a newcomer joins late."""
    today = timezone.localdate()
    _hired(admin_a, 900)
    advocates = [_hired(member_factory(org_a), 730) for _ in range(4)]
    quiet = [_hired(member_factory(org_a), 730) for _ in range(4)]
    for index, advocate in enumerate(advocates):
        _shares(
            advocate,
            today - dt.timedelta(days=200 + index),
            potential_reach=1000,
            clicks=12,
            unique_clicks=10,
            impressions=3000,
        )
    # Leaving, as the People page does it: deactivate (the leave date is recorded) ...
    membership_update(organization=org_a, membership=advocates[0], actor=admin_a, is_active=False)
    # ... or deactivate with the last working day.
    membership_update(
        organization=org_a,
        membership=quiet[0],
        actor=admin_a,
        is_active=False,
        leave_date=today - dt.timedelta(days=100),
    )
    membership_update(
        organization=org_a,
        membership=quiet[1],
        actor=admin_a,
        is_active=False,
        leave_date=today - dt.timedelta(days=20),
    )
    _hired(member_factory(org_a), 30)  # a newcomer: not here when the year began
    return {"advocates": advocates, "quiet": quiet, "admin": admin_a}


def test_deactivating_someone_records_the_day_they_left_and_reactivating_clears_it(
    org_a, admin_a, employee_a
):
    membership_update(organization=org_a, membership=employee_a, actor=admin_a, is_active=False)
    employee_a.refresh_from_db()
    assert employee_a.leave_date == timezone.localdate()
    membership_update(organization=org_a, membership=employee_a, actor=admin_a, is_active=True)
    employee_a.refresh_from_db()
    assert (employee_a.is_active, employee_a.leave_date) == (True, None)


def test_advocates_retention_against_everyone_elses_with_real_dates(web, company):
    admin = company["admin"]
    html = web.as_member(admin).get(URL.format(slug=admin.organization.slug)).content.decode()
    cards = _cards(html)
    # Advocates: 4 here on the first day, 1 left: 75%. Everyone else: the admin and four
    # quiet colleagues, 2 left: 3 of 5.
    assert cards["Advocates still here"] == ("75.0%", "3 of 4 here on the first day")
    assert cards["Everyone else still here"] == ("60.0%", "3 of 5 here on the first day")
    assert _table_rows(html, "retention") == [
        ["Advocates (shared at least once)", "4", "1", "3", "75.0%"],
        ["Everyone else", "5", "2", "3", "60.0%"],
    ]
    # The chart plots the same percentages the table shows.
    chart = json.loads(
        re.search(
            r'<script id="chart-data-retention" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert chart["datasets"][0]["data"] == [75.0, 60.0]
    # Awareness, with what each figure means written on the page.
    assert cards["Potential reach"][0] == "4,000"
    assert cards["Human visits"][0] == "40"
    definitions = re.search(r'data-testid="definitions".*?</section>', html, re.S).group(0)
    for term in ("Retention", "Potential reach (estimate)", "Human visits"):
        assert f"<dt>{term}</dt>" in definitions
    assert "bots" in definitions and "upper bound" in definitions


def test_the_same_page_in_indonesian(web, company):
    admin = company["admin"]
    admin.user.preferred_language = "id"
    admin.user.save(update_fields=["preferred_language"])
    html = (
        web.as_member(admin)
        .get(URL.format(slug=admin.organization.slug), HTTP_ACCEPT_LANGUAGE="id")
        .content.decode()
    )
    assert "75,0%" in html and "60,0%" in html
    assert "Advocates still here" not in html and "Human visits" not in html


def test_someone_deactivated_without_a_leave_date_is_counted_apart_and_named_as_such(web, company):
    admin = company["admin"]
    # Deactivated before leave dates were recorded: no date to place them by.
    Membership.objects.filter(pk=company["quiet"][2].pk).update(is_active=False, leave_date=None)
    html = web.as_member(admin).get(URL.format(slug=admin.organization.slug)).content.decode()
    assert _table_rows(html, "retention")[1] == ["Everyone else", "4", "2", "2", "50.0%"]
    assert "1 person was deactivated without a leave date" in html


def test_figures_without_data_say_so_in_words_not_zeros(web, org_a, member_factory):
    admin = member_factory(org_a, Role.ADMIN)  # joined today: nobody was here a year ago
    html = web.as_member(admin).get(URL.format(slug=org_a.slug)).content.decode()
    cards = _cards(html)
    assert cards["Advocates still here"] == (
        "no data",
        "Nobody in this group was here on the first day of the period.",
    )
    assert cards["Potential reach"][0] == "no data"
    assert cards["Human visits"][0] == "no data"
    months = _table_rows(html, "trends")
    assert months and all(row[1:4] == ["no data"] * 3 for row in months)
    assert 'id="chart-data-trends"' not in html  # no empty chart, the words say it
