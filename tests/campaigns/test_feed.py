"""The employee feed: what they may share, featured first, campaign items marked, in a
number of queries that does not grow with the number of items."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.context import org_context
from campaigns.models import Campaign
from campaigns.selectors import FEED_PAGE_SIZE, employee_feed
from content_library.models import ContentItem

from .factories import (
    CampaignFactory,
    CampaignItemFactory,
    CaptionFactory,
    ContentFactory,
    ShareFactory,
)

pytestmark = pytest.mark.django_db


def _items(org, count, **fields):
    items = [ContentFactory(organization=org, **fields) for _ in range(count)]
    for item in items:
        CaptionFactory(content=item)
    return items


def _feed_page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_feed_query_count_does_not_grow_with_items(web, org_a, employee_a):
    campaign = CampaignFactory(organization=org_a, status=Campaign.Status.ACTIVE)
    items = _items(org_a, 3)
    CampaignItemFactory(campaign=campaign, content=items[0])
    ShareFactory(membership=employee_a, content=items[1])
    client = web.as_member(employee_a)
    url = reverse("campaigns:feed", kwargs={"org_slug": org_a.slug})
    client.get(url)  # warm the session and caches so both counts compare like with like
    few = _feed_page_queries(client, url)
    more = _items(org_a, 27)
    for item in more[:10]:
        CampaignItemFactory(campaign=campaign, content=item)
        ShareFactory(membership=employee_a, content=item)
    many = _feed_page_queries(client, url)
    assert many == few
    assert few <= 15  # DESIGN.md budget for the feed


def test_selector_query_count_is_the_same_for_3_and_30_items(
    org_a, employee_a, django_assert_num_queries
):
    campaign = CampaignFactory(organization=org_a, status=Campaign.Status.ACTIVE)
    for item in _items(org_a, 3):
        CampaignItemFactory(campaign=campaign, content=item)
    with CaptureQueriesContext(connection) as three:
        cards = employee_feed(organization=org_a, membership=employee_a).cards
    assert len(cards) == 3
    for item in _items(org_a, 27):
        CampaignItemFactory(campaign=campaign, content=item)
    with django_assert_num_queries(len(three)):
        page = employee_feed(organization=org_a, membership=employee_a)
        assert len(page.cards) == FEED_PAGE_SIZE and all(card.campaigns for card in page.cards)
        assert [card.suggested_caption for card in page.cards]  # captions come prefetched


def test_featured_first_campaign_marked_and_only_shareable_items(org_a, org_b, employee_a):
    now = timezone.now()
    plain = ContentFactory(organization=org_a)
    featured = ContentFactory(organization=org_a, is_featured=True)
    ContentFactory(organization=org_a, expires_at=now - datetime.timedelta(hours=1))
    ContentFactory(organization=org_a, status=ContentItem.Status.DRAFT)
    ContentFactory(organization=org_a, publish_at=now + datetime.timedelta(days=1))
    ContentFactory(organization=org_b)
    campaign = CampaignFactory(organization=org_a, status=Campaign.Status.ACTIVE)
    CampaignItemFactory(campaign=campaign, content=plain)
    draft_campaign = CampaignFactory(organization=org_a)
    CampaignItemFactory(campaign=draft_campaign, content=featured)
    cards = employee_feed(organization=org_a, membership=employee_a).cards
    assert [card.content for card in cards] == [featured, plain]
    assert cards[0].campaigns == [] and cards[1].campaigns == [campaign]


def test_feed_pages_through_items(web, org_a, employee_a):
    _items(org_a, FEED_PAGE_SIZE + 2)
    client = web.as_member(employee_a)
    url = reverse("campaigns:feed", kwargs={"org_slug": org_a.slug})
    first = client.get(url).content.decode()
    assert first.count('data-testid="feed-card"') == FEED_PAGE_SIZE
    assert 'hx-get="?page=2"' in first
    second = client.get(url + "?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert second.count('data-testid="feed-card"') == 2 and "<html" not in second
    assert client.get(url + "?page=abc").status_code == 200


def test_feed_page_shows_campaign_badge_and_share_button(web, org_a, employee_a):
    item = ContentFactory(organization=org_a, title="We are hiring in Jakarta")
    CaptionFactory(content=item, text="Join us, we are hiring!")
    campaign = CampaignFactory(
        organization=org_a, name="Hiring week", status=Campaign.Status.ACTIVE
    )
    CampaignItemFactory(campaign=campaign, content=item)
    html = (
        web.as_member(employee_a)
        .get(reverse("campaigns:feed", kwargs={"org_slug": org_a.slug}))
        .content.decode()
    )
    assert "We are hiring in Jakarta" in html and "Join us, we are hiring!" in html
    assert 'data-testid="campaign-badge"' in html and "Hiring week" in html
    assert (
        reverse("campaigns:compose", kwargs={"org_slug": org_a.slug, "content_id": item.pk}) in html
    )


def test_another_orgs_member_cannot_open_the_feed(web, org_a, admin_b):
    assert (
        web.as_member(admin_b)
        .get(reverse("campaigns:feed", kwargs={"org_slug": org_a.slug}))
        .status_code
        == 404
    )


def test_feed_inside_org_context_reads_only_that_org(org_a, org_b, employee_a):
    ContentFactory(organization=org_b)
    with org_context(org_a):
        assert employee_feed(organization=org_a, membership=employee_a).cards == []
