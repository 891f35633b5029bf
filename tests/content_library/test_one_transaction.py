"""Creating or editing an item with its captions is one service call and one transaction:
a caption the network would refuse leaves nothing behind, whichever door it came through."""

import pytest
from django.core.exceptions import ValidationError

from advocacy.tenancy.access import NotInOrganization
from advocacy.tenancy.models import Role, Team
from content_library import services
from content_library.models import Caption, ContentEvent, ContentItem

from .factories import ContentItemFactory, TopicFactory

pytestmark = pytest.mark.django_db

TOO_LONG_FOR_X = "a" * 281
# 250 family emoji are 250 graphemes (Bluesky's count allows 300) but 4,500 bytes of UTF-8,
# over the 3,000 bytes Bluesky stores.
TOO_MANY_BYTES_FOR_BLUESKY = "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 250


@pytest.fixture
def curator_a(org_a, member_factory):
    return member_factory(org_a, Role.CURATOR)


@pytest.mark.parametrize(
    "caption", [("x", TOO_LONG_FOR_X), ("bluesky", TOO_MANY_BYTES_FOR_BLUESKY)]
)
def test_a_refused_caption_creates_no_item(org_a, curator_a, caption):
    with pytest.raises(ValidationError):
        services.content_create(
            organization=org_a,
            actor=curator_a,
            data={"kind": "text", "title": "We are hiring"},
            captions=[("linkedin", "fine"), caption],
        )
    assert not ContentItem.objects.exists()
    assert not Caption.objects.exists()
    assert not ContentEvent.objects.exists()


def test_a_refused_caption_leaves_the_edit_unsaved(org_a, curator_a):
    item = ContentItemFactory(organization=org_a, title="Before")
    with pytest.raises(ValidationError):
        services.content_update(
            organization=org_a,
            actor=curator_a,
            content=item,
            data={"title": "After"},
            captions=[("x", TOO_LONG_FOR_X)],
        )
    item.refresh_from_db()
    assert item.title == "Before"
    assert not ContentEvent.objects.filter(content=item).exists()


def test_update_without_captions_keeps_them(org_a, curator_a):
    item = services.content_create(
        organization=org_a,
        actor=curator_a,
        data={"kind": "text", "title": "T"},
        captions=[("x", "keep")],
    )
    services.content_update(organization=org_a, actor=curator_a, content=item, data={"title": "U"})
    assert list(item.captions.values_list("text", flat=True)) == ["keep"]


def test_a_foreign_topic_or_team_is_refused_and_nothing_is_created(org_a, org_b, curator_a):
    with pytest.raises(NotInOrganization):
        services.content_create(
            organization=org_a,
            actor=curator_a,
            data={"kind": "text", "title": "T"},
            topics=[TopicFactory(organization=org_b)],
        )
    with pytest.raises(NotInOrganization):
        services.content_create(
            organization=org_a,
            actor=curator_a,
            data={"kind": "text", "title": "T"},
            audience={"teams": [Team.objects.create(organization=org_b, name="Theirs")]},
        )
    assert not ContentItem.objects.for_org(org_a).exists()


def test_the_api_refuses_an_over_long_caption_and_creates_nothing(api, org_a, curator_a):
    response = api.as_member(curator_a).post(
        f"/api/v1/orgs/{org_a.slug}/library/items/",
        {
            "kind": "text",
            "title": "We are hiring",
            "captions": [{"network": "bluesky", "text": TOO_MANY_BYTES_FOR_BLUESKY}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not ContentItem.objects.exists()
