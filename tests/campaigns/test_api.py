"""The API: campaigns, the feed and shares, across roles and across organizations."""

import pytest

from advocacy.tenancy.models import Role
from campaigns.models import Campaign, Share

from .factories import (
    CampaignFactory,
    CampaignItemFactory,
    ConnectionFactory,
    ContentFactory,
    ShareFactory,
)

pytestmark = pytest.mark.django_db


def base(org):
    return f"/api/v1/orgs/{org.slug}/campaigns"


def test_curator_creates_and_launches_a_campaign(api, org_a, member_factory):
    curator = member_factory(org_a, Role.CURATOR)
    item = ContentFactory(organization=org_a)
    client = api.as_member(curator)
    created = client.post(
        f"{base(org_a)}/campaigns/",
        {
            "name": "Hiring week",
            "goal_clicks": 500,
            "items": [item.pk],
            "audience_roles": ["employee"],
            "audience_locations": ["Jakarta"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (
        body["slug"] == "hiring-week" and body["items"] == [item.pk] and body["status"] == "draft"
    )
    assert body["audience_roles"] == ["employee"] and body["audience_locations"] == ["Jakarta"]
    launched = client.post(f"{base(org_a)}/campaigns/{body['id']}/launch/")
    assert launched.status_code == 200 and launched.json()["status"] == "active"
    again = client.post(f"{base(org_a)}/campaigns/{body['id']}/launch/")
    assert again.status_code == 400


def test_employee_reads_only_campaigns_for_them_and_cannot_write(api, org_a, employee_a):
    active = CampaignFactory(organization=org_a, status=Campaign.Status.ACTIVE)
    CampaignFactory(organization=org_a)  # a draft
    client = api.as_member(employee_a)
    listed = client.get(f"{base(org_a)}/campaigns/").json()["results"]
    assert [c["id"] for c in listed] == [active.pk]
    assert (
        client.post(f"{base(org_a)}/campaigns/", {"name": "Mine"}, format="json").status_code == 403
    )


def test_two_orgs_campaign_of_org_b_is_404_and_unchanged(api, org_a, org_b, admin_a):
    foreign = CampaignFactory(organization=org_b, name="Theirs")
    CampaignItemFactory(campaign=foreign)
    client = api.as_member(admin_a)
    assert client.get(f"{base(org_a)}/campaigns/{foreign.pk}/").status_code == 404
    assert (
        client.patch(
            f"{base(org_a)}/campaigns/{foreign.pk}/", {"name": "Pwned"}, format="json"
        ).status_code
        == 404
    )
    assert client.post(f"{base(org_a)}/campaigns/{foreign.pk}/launch/").status_code == 404
    assert client.delete(f"{base(org_a)}/campaigns/{foreign.pk}/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Theirs" and foreign.status == Campaign.Status.DRAFT
    # and org B's content cannot be put in org A's campaign: reads like a missing id
    response = client.post(
        f"{base(org_a)}/campaigns/",
        {"name": "X", "items": [foreign.items.get().content_id]},
        format="json",
    )
    assert response.status_code == 400 and not Campaign.objects.filter(organization=org_a).exists()


def test_feed_endpoint(api, org_a, employee_a):
    featured = ContentFactory(organization=org_a, is_featured=True)
    ContentFactory(organization=org_a)
    body = api.as_member(employee_a).get(f"{base(org_a)}/feed/").json()
    assert body["results"][0]["id"] == featured.pk and body["results"][0]["is_featured"] is True
    assert len(body["results"]) == 2 and body["next_page"] is None


def test_share_create_and_by_hand(api, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    linkedin = ConnectionFactory(membership=employee_a, network="linkedin")
    client = api.as_member(employee_a)
    created = client.post(
        f"{base(org_a)}/shares/",
        {
            "content": content.pk,
            "text": "Proud!",
            "connections": [linkedin.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()[0]["status"] == "pending" and "/r/" in created.json()[0]["short_url"]
    by_hand = client.post(
        f"{base(org_a)}/shares/by-hand/",
        {
            "content": content.pk,
            "channel": "linkedin",
            "text": "By hand",
        },
        format="json",
    )
    assert by_hand.status_code == 201
    assert by_hand.json()["intent_url"].startswith("https://www.linkedin.com/")
    listed = client.get(f"{base(org_a)}/shares/").json()
    assert listed["count"] == 2


def test_share_api_bad_input_is_a_400_not_a_500(api, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    x = ConnectionFactory(membership=employee_a, network="x")
    client = api.as_member(employee_a)
    too_long = client.post(
        f"{base(org_a)}/shares/",
        {"content": content.pk, "text": "a" * 300, "connections": [x.pk]},
        format="json",
    )
    assert too_long.status_code == 400 and "text" in too_long.json()["errors"]
    past = client.post(
        f"{base(org_a)}/shares/",
        {
            "content": content.pk,
            "text": "Hi",
            "connections": [x.pk],
            "scheduled_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )
    assert past.status_code == 400 and "scheduled_at" in past.json()["errors"]
    odd = client.post(
        f"{base(org_a)}/shares/by-hand/",
        {"content": content.pk, "channel": "<script>", "text": "Hi"},
        format="json",
    )
    assert odd.status_code == 400
    assert not Share.objects.exists()


def test_two_orgs_share_of_org_b_is_404_and_unchanged(api, org_a, org_b, admin_a, member_factory):
    theirs = ShareFactory(membership=member_factory(org_b), status=Share.Status.FAILED)
    foreign_content = ContentFactory(organization=org_b)
    foreign_connection = ConnectionFactory(membership=member_factory(org_b))
    client = api.as_member(admin_a)
    assert client.get(f"{base(org_a)}/shares/{theirs.pk}/").status_code == 404
    assert client.post(f"{base(org_a)}/shares/{theirs.pk}/retry/").status_code == 404
    assert client.get(f"{base(org_a)}/shares/?everyone=1").json()["results"] == []
    refused = client.post(
        f"{base(org_a)}/shares/",
        {
            "content": foreign_content.pk,
            "text": "Hi",
            "connections": [foreign_connection.pk],
        },
        format="json",
    )
    assert refused.status_code == 400
    theirs.refresh_from_db()
    assert theirs.status == Share.Status.FAILED and Share.objects.count() == 1


def test_a_colleagues_share_is_404_to_an_employee_but_listed_for_admins(
    api, org_a, employee_a, admin_a, member_factory
):
    colleague = ShareFactory(membership=member_factory(org_a), status=Share.Status.FAILED)
    assert (
        api.as_member(employee_a).post(f"{base(org_a)}/shares/{colleague.pk}/retry/").status_code
        == 404
    )
    listed = api.as_member(admin_a).get(f"{base(org_a)}/shares/?everyone=1").json()["results"]
    assert [s["id"] for s in listed] == [colleague.pk]
