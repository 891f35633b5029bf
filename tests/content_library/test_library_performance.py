"""The curators' library shows each item's performance: the same shares, clicks and
impressions the content performance page shows for it, read for the whole page at
once (no query per item), on a phone as on a laptop."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from advocacy.tenancy.models import Role
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from tests.analytics.factories import ShareFactory

from .factories import ApprovedItemFactory

pytestmark = pytest.mark.django_db

COLUMNS = {"shares": "Shares", "clicks": "Human clicks", "impressions": "Impressions"}


@pytest.fixture
def curator_a(org_a, member_factory):
    return member_factory(org_a, Role.CURATOR)


def _library(client, org, **params):
    return client.get(
        reverse("content_library:library", kwargs={"org_slug": org.slug}), params
    ).content.decode()


def _figures_on_library(page: str, title: str) -> dict[str, int]:
    """The numbers shown in the row whose title is `title`."""
    for row in page.split('class="list-group-item')[1:]:
        if f">{html.escape(title)}</a>" not in row:
            continue
        block = row.split('data-testid="item-figures"', 1)[1].split("</div>", 1)[0]
        return {
            key: int(value.replace(",", "").replace(".", ""))
            for key, value in re.findall(
                r'data-figure="(\w+)">.*?<span class="fw-semibold" data-value>([\d.,]+)</span>',
                block,
            )
        }
    raise AssertionError(f"{title} is not on the library page")


def _figures_on_content_page(client, org) -> dict[str, dict[str, int]]:
    """The content performance page's "Top content" table, as it exports it."""
    response = client.get(
        reverse("analytics:content", kwargs={"org_slug": org.slug}),
        {"export": "csv", "table": "content"},
    )
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    where = {key: header.index(label) for key, label in COLUMNS.items()}
    return {row[0]: {key: int(float(row[i] or 0)) for key, i in where.items()} for row in rows}


def _activity(share, day, **metrics):
    rollups_add([Fact(share.pk, day, metrics)])


def test_each_item_shows_what_its_content_page_shows(web, org_a, curator_a):
    today = timezone.localdate()
    plant = ApprovedItemFactory(organization=org_a, title="We opened a plant in Surabaya")
    hiring = ApprovedItemFactory(organization=org_a, title="We are hiring engineers")
    quiet = ApprovedItemFactory(organization=org_a, title="Nobody shared this yet")
    for n, (item, clicks, impressions) in enumerate(
        [(plant, 12, 1500), (plant, 30, 2500), (hiring, 7, 0)]
    ):
        share = ShareFactory(organization=org_a, content=item, published_at=timezone.now())
        _activity(
            share,
            today - dt.timedelta(days=n),
            shares=1,
            clicks=clicks,
            unique_clicks=clicks,
            impressions=impressions,
        )
    # Long before the period both pages cover by default: counted by neither.
    old = ShareFactory(organization=org_a, content=hiring, published_at=timezone.now())
    _activity(old, today - dt.timedelta(days=45), shares=1, clicks=500)

    client = web.as_member(curator_a)
    page = _library(client, org_a)
    analytics = _figures_on_content_page(client, org_a)
    assert _figures_on_library(page, plant.title) == analytics[plant.title]
    assert _figures_on_library(page, hiring.title) == analytics[hiring.title]
    assert _figures_on_library(page, plant.title) == {
        "shares": 2,
        "clicks": 42,
        "impressions": 4000,
    }
    assert _figures_on_library(page, hiring.title) == {"shares": 1, "clicks": 7, "impressions": 0}
    # Nothing happened to it: zeros, as the content page leaves it out.
    assert quiet.title not in analytics
    assert _figures_on_library(page, quiet.title) == {"shares": 0, "clicks": 0, "impressions": 0}
    # The period is said, with the page that shows the same figures in full.
    assert 'data-testid="figures-period"' in page
    assert reverse("analytics:content", kwargs={"org_slug": org_a.slug}) in page


def test_another_organizations_figures_never_show(web, org_a, org_b, curator_a):
    mine = ApprovedItemFactory(organization=org_a, title="Ours")
    theirs = ShareFactory(organization=org_b, published_at=timezone.now())
    _activity(theirs, timezone.localdate(), shares=1, clicks=99)
    page = _library(web.as_member(curator_a), org_a)
    assert _figures_on_library(page, mine.title) == {"shares": 0, "clicks": 0, "impressions": 0}
    assert theirs.content.title not in page


def test_the_figures_cost_one_query_for_the_whole_page(
    web, org_a, curator_a, django_assert_max_num_queries
):
    client = web.as_member(curator_a)

    def queries_with(items: int) -> int:
        for n in range(items):
            item = ApprovedItemFactory(organization=org_a)
            share = ShareFactory(organization=org_a, content=item, published_at=timezone.now())
            _activity(share, timezone.localdate(), shares=1, clicks=n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("content_library:library", kwargs={"org_slug": org_a.slug}))
        return len(queries)

    few = queries_with(2)
    many = queries_with(23)  # 25 items: a full page
    assert many == few
    with django_assert_max_num_queries(21):
        page = _library(client, org_a)
    assert page.count('data-testid="item-figures"') == 25


def test_figures_read_in_indonesian_and_fit_a_phone(web, org_a, curator_a):
    item = ApprovedItemFactory(organization=org_a, title="Pabrik baru " + "panjang " * 30)
    share = ShareFactory(organization=org_a, content=item, published_at=timezone.now())
    _activity(share, timezone.localdate(), shares=1, clicks=1234, impressions=56789)
    curator_a.user.preferred_language = "id"
    curator_a.user.save(update_fields=["preferred_language"])
    # The request switches this thread to Indonesian; the tests after this one keep theirs.
    with translation.override(translation.get_language()):
        page = _library(web.as_member(curator_a), org_a)
    period = page.split('data-testid="figures-period"', 1)[1].split("</p>", 1)[0]
    assert "Kinerja selama 30 hari terakhir" in period, period
    assert "Lihat kinerja konten" in period
    # Numbers grouped as Indonesian readers group them, as the analytics pages do.
    assert _figures_on_library(page, item.title) == {
        "shares": 1,
        "clicks": 1234,
        "impressions": 56789,
    }
    assert ">1.234</span>" in page and ">56.789</span>" in page
    # The figures wrap onto more lines rather than push the row wider than a phone.
    block = page.split('data-testid="item-figures"', 1)[0].rsplit("<div", 1)[1]
    assert "flex-wrap" in block
