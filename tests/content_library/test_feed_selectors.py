"""The reads the employee feed builds on: who sees what, guidelines, caption variants."""

import datetime

import pytest
from django.utils import timezone

from advocacy.tenancy.models import Role, Team
from content_library.models import (
    ContentAudience,
    GuidelinesAcknowledgement,
    LibrarySettings,
    Network,
)
from content_library.selectors import caption_variants, content_feed, guidelines_acknowledged

from .factories import ApprovedItemFactory, CaptionFactory, ContentItemFactory, GuidelinesFactory

pytestmark = pytest.mark.django_db


def _feed_titles(org, member, **kwargs):
    return [item.title for item in content_feed(organization=org, membership=member, **kwargs)]


def test_feed_shows_only_shareable_items_featured_first(org_a, employee_a):
    now = timezone.now()
    ApprovedItemFactory(
        organization=org_a, title="Old news", created_at=now - datetime.timedelta(days=3)
    )
    ApprovedItemFactory(
        organization=org_a, title="Fresh news", created_at=now - datetime.timedelta(days=1)
    )
    ApprovedItemFactory(
        organization=org_a,
        title="Pinned",
        is_featured=True,
        created_at=now - datetime.timedelta(days=9),
    )
    ContentItemFactory(organization=org_a, title="Draft")
    ApprovedItemFactory(
        organization=org_a, title="Expired", expires_at=now - datetime.timedelta(minutes=1)
    )
    ApprovedItemFactory(
        organization=org_a, title="Not yet", publish_at=now + datetime.timedelta(hours=1)
    )
    ApprovedItemFactory(title="Other org")
    assert _feed_titles(org_a, employee_a) == ["Pinned", "Fresh news", "Old news"]


def test_feed_respects_audience_by_team_tree_location_and_role(org_a, member_factory):
    sales = Team.objects.create(organization=org_a, name="Sales")
    east = Team.objects.create(organization=org_a, name="Sales East", parent=sales)
    seller = member_factory(org_a, Role.EMPLOYEE, team=east, location="Boston")
    engineer = member_factory(org_a, Role.EMPLOYEE, location="Remote")
    manager = member_factory(org_a, Role.MANAGER)
    for title, rule in [
        ("For sales", {"team": sales}),
        ("For Boston", {"location": "boston"}),
        ("For managers", {"role": Role.MANAGER}),
    ]:
        item = ApprovedItemFactory(organization=org_a, title=title, audience_everyone=False)
        ContentAudience.objects.create(organization=org_a, content=item, **rule)
    ApprovedItemFactory(organization=org_a, title="For all")

    assert sorted(_feed_titles(org_a, seller)) == ["For Boston", "For all", "For sales"]
    assert _feed_titles(org_a, engineer) == ["For all"]
    assert sorted(_feed_titles(org_a, manager)) == ["For all", "For managers"]


def test_feed_filters_by_language_and_prefetches_captions(
    org_a, employee_a, django_assert_max_num_queries
):
    for n in range(6):
        item = ApprovedItemFactory(organization=org_a, language="id" if n % 2 else "en")
        CaptionFactory(content=item, network=Network.LINKEDIN)
    with django_assert_max_num_queries(4):
        items = list(content_feed(organization=org_a, membership=employee_a, language="id"))
        texts = [
            caption_variants(organization=org_a, content=item, network="linkedin") for item in items
        ]
    assert len(items) == 3 and all(len(t) == 1 for t in texts)


def test_guidelines_acknowledged_follows_the_current_version(org_a, employee_a):
    assert (
        guidelines_acknowledged(organization=org_a, membership=employee_a) is True
    )  # nothing published
    v1 = GuidelinesFactory(organization=org_a, number=1)
    assert guidelines_acknowledged(organization=org_a, membership=employee_a) is False
    GuidelinesAcknowledgement.objects.create(organization=org_a, version=v1, membership=employee_a)
    assert guidelines_acknowledged(organization=org_a, membership=employee_a) is True
    GuidelinesFactory(organization=org_a, number=2, published_at=None)  # a draft changes nothing
    assert guidelines_acknowledged(organization=org_a, membership=employee_a) is True
    GuidelinesFactory(organization=org_a, number=3)
    assert guidelines_acknowledged(organization=org_a, membership=employee_a) is False


def test_caption_variants_put_the_networks_own_first_and_append_the_disclosure(org_a):
    item = ApprovedItemFactory(organization=org_a, title="Our new plant")
    CaptionFactory(content=item, network="", text="Big day for us", position=0)
    CaptionFactory(content=item, network=Network.X, text="Short and sweet", position=1)
    CaptionFactory(content=item, network=Network.LINKEDIN, text="A longer story", position=2)
    assert caption_variants(organization=org_a, content=item, network="x") == [
        "Short and sweet",
        "Big day for us",
    ]

    LibrarySettings.objects.create(
        organization=org_a,
        disclosure="#iworkforacme",
        disclosure_required=True,
        disclosure_networks=["x"],
    )
    org_a._library_settings = None  # a new request
    assert caption_variants(organization=org_a, content=item, network="x") == [
        "Short and sweet #iworkforacme",
        "Big day for us #iworkforacme",
    ]
    assert caption_variants(organization=org_a, content=item, network="linkedin") == [
        "A longer story",
        "Big day for us",
    ]


def test_caption_variants_never_doubles_the_disclosure_and_falls_back_to_the_title(org_a):
    LibrarySettings.objects.create(
        organization=org_a, disclosure="#IWorkForAcme", disclosure_required=True
    )
    item = ApprovedItemFactory(organization=org_a, title="Our new plant")
    assert caption_variants(organization=org_a, content=item, network="bluesky") == [
        "Our new plant #IWorkForAcme"
    ]
    CaptionFactory(content=item, network="", text="Join us! #iworkforacme")
    org_a._library_settings = None
    item = type(item).objects.get(pk=item.pk)
    assert caption_variants(organization=org_a, content=item, network="bluesky") == [
        "Join us! #iworkforacme"
    ]
