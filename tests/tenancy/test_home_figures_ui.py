"""The admins' home shows live numbers and the next steps instead of a wall of launcher
tiles (issue 17); every app declares its figures, the core imports none of them."""

import datetime
import re

import pytest
from django.utils import timezone

from content_library.models import ContentItem
from tests.campaigns.factories import ContentFactory, ShareFactory

pytestmark = pytest.mark.django_db


def _figures(page: str) -> dict[str, str]:
    return dict(
        re.findall(r'data-figure="([a-z_]+)".*?data-testid="figure-value">([^<]*)<', page, re.S)
    )


def _home(web, member):
    return web.as_member(member).get(f"/o/{member.organization.slug}/?home=1").content.decode()


def test_admin_home_counts_this_weeks_shares_and_what_waits_for_review(web, admin_a, employee_a):
    org = admin_a.organization
    ShareFactory(membership=employee_a)
    ShareFactory(membership=employee_a)
    old = ShareFactory(membership=admin_a)
    old.created_at = timezone.now() - datetime.timedelta(days=20)
    old.save()
    ContentFactory(organization=org, status=ContentItem.Status.IN_REVIEW)
    page = _home(web, admin_a)
    figures = _figures(page)
    assert figures["shares_week"] == "2"
    assert figures["participation_week"] == "50.0%"  # one of two members shared this week
    assert figures["awaiting_approval"] == "1"
    assert figures["clicks_week"] == "0" and figures["surveys_open"] == "0"
    assert "Review the content waiting for approval." in page
    assert page.count('class="card h-100 text-decoration-none"') == 0, "launcher tiles are back"


def test_nothing_waiting_means_no_next_step_for_it(web, admin_a):
    page = _home(web, admin_a)
    assert _figures(page)["awaiting_approval"] == "0"
    assert "Review the content waiting for approval." not in page


def test_employees_see_no_program_figures(web, employee_a):
    assert 'data-testid="home-figures"' not in _home(web, employee_a)


def test_the_figures_read_in_bahasa_indonesia(web, admin_a):
    admin_a.user.preferred_language = "id"
    admin_a.user.save()
    page = _home(web, admin_a)
    for words in (
        "Minggu ini",
        "Jumlah berbagi minggu ini",
        "Klik minggu ini",
        "Menunggu persetujuan",
    ):
        assert words in page
