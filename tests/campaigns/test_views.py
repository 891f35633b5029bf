"""The pages: composer (guidelines first, preview, nudge, by-hand paths), my shares, campaigns, settings."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.models import Role
from campaigns.models import Campaign, CampaignSettings, Share

from .factories import (
    CampaignFactory,
    CampaignItemFactory,
    CaptionFactory,
    ConnectionFactory,
    ContentFactory,
    ShareFactory,
    publish_guidelines,
)

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"campaigns:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_composer_shows_the_guidelines_to_agree_to_inside_it(web, org_a, employee_a):
    # Issue 17.3: no detour through a separate page; tests/campaigns/test_composer_first_share.py
    # covers agreeing by sharing.
    publish_guidelines(org_a)
    content = ContentFactory(organization=org_a)
    response = web.as_member(employee_a).get(url("compose", org_a, content_id=content.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="guidelines-inline"' in html and "Be kind." in html


def test_composer_prefills_the_suggested_caption_and_lists_connections(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    CaptionFactory(content=content, text="We are hiring engineers in Bandung")
    CaptionFactory(content=content, text="Another way to say it")
    ConnectionFactory(membership=employee_a, network="linkedin", handle="emma")
    html = (
        web.as_member(employee_a).get(url("compose", org_a, content_id=content.pk)).content.decode()
    )
    assert "We are hiring engineers in Bandung</textarea>" in html
    assert 'data-caption="Another way to say it"' in html
    assert "LinkedIn · emma" in html
    for channel in ("linkedin", "x", "facebook", "whatsapp", "email"):
        assert url("share_by_hand", org_a, content_id=content.pk, channel=channel) in html


def test_composer_of_an_expired_or_foreign_item_is_404(web, org_a, org_b, employee_a):
    expired = ContentFactory(
        organization=org_a, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    foreign = ContentFactory(organization=org_b)
    client = web.as_member(employee_a)
    assert client.get(url("compose", org_a, content_id=expired.pk)).status_code == 404
    assert client.get(url("compose", org_a, content_id=foreign.pk)).status_code == 404


def test_preview_counts_per_network_and_nudges_when_unchanged(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    CaptionFactory(content=content, text="Suggested words")
    linkedin = ConnectionFactory(membership=employee_a, network="linkedin")
    x = ConnectionFactory(membership=employee_a, network="x")
    client = web.as_member(employee_a)
    preview = url("compose_preview", org_a, content_id=content.pk)
    same = client.post(
        preview, {"text": "Suggested words", "connections": [linkedin.pk, x.pk]}
    ).content.decode()
    assert 'data-testid="personal-note-nudge"' in same
    assert 'data-testid="counter-linkedin"' in same and "/3000" in same and "/280" in same
    own = client.post(
        preview, {"text": "My own words: " + "a" * 300, "connections": [x.pk]}
    ).content.decode()
    assert "personal-note-nudge" not in own and "text-bg-danger" in own  # over X's limit


def test_composer_post_shares_and_lands_on_my_shares(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    linkedin = ConnectionFactory(membership=employee_a, network="linkedin")
    client = web.as_member(employee_a)
    form = {
        "text": "Look what we built",
        "connections": [linkedin.pk],
        "when": "now",
        "batch": "2b1f6a0e-7a43-4a8e-9a55-3f1b1d2c4e5f",
    }
    response = client.post(url("compose", org_a, content_id=content.pk), form)
    assert response.status_code == 302 and response["Location"] == url("my_shares", org_a)
    again = client.post(url("compose", org_a, content_id=content.pk), form)  # a double submit
    assert again.status_code == 302
    assert Share.objects.filter(membership=employee_a).count() == 1


def test_composer_refuses_a_past_time_with_a_clear_message(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    linkedin = ConnectionFactory(membership=employee_a, network="linkedin")
    response = web.as_member(employee_a).post(
        url("compose", org_a, content_id=content.pk),
        {
            "text": "Hi",
            "connections": [linkedin.pk],
            "when": "later",
            "scheduled_at": "2020-01-01T09:00",
            "batch": "2b1f6a0e-7a43-4a8e-9a55-3f1b1d2c4e5f",
        },
    )
    assert response.status_code == 400
    assert 'data-testid="schedule-error"' in response.content.decode()
    assert not Share.objects.exists()


def test_by_hand_intent_redirects_to_the_network_with_the_tracked_link(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    client = web.as_member(employee_a)
    response = client.post(
        url("share_by_hand", org_a, content_id=content.pk, channel="x"), {"text": "Worth a read"}
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == "x.com"
    query = parse_qs(target.query)
    share = Share.objects.get(membership=employee_a, channel="x")
    assert query["text"] == ["Worth a read"] and query["url"][0].endswith(
        f"/r/{share.links.get().code}"
    )
    whatsapp = client.post(
        url("share_by_hand", org_a, content_id=content.pk, channel="whatsapp"), {"text": "Hi"}
    )
    assert whatsapp["Location"].startswith("https://wa.me/?text=")
    email = client.post(
        url("share_by_hand", org_a, content_id=content.pk, channel="email"), {"text": "Hi"}
    )
    assert email["Location"].startswith("mailto:?subject=")


def test_copy_returns_text_and_link_as_json(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    response = web.as_member(employee_a).post(
        url("share_by_hand", org_a, content_id=content.pk, channel="copy"),
        {"text": "Copy me"},
        HTTP_ACCEPT="application/json",
    )
    body = response.json()
    assert (
        response.status_code == 200
        and body["full_text"].startswith("Copy me")
        and "/r/" in body["url"]
    )


def test_by_hand_refusals_are_clear_not_500s(web, org_a, employee_a):
    CampaignSettings.objects.create(organization=org_a, daily_share_limit=0)
    content = ContentFactory(organization=org_a)
    client = web.as_member(employee_a)
    refused = client.post(
        url("share_by_hand", org_a, content_id=content.pk, channel="linkedin"), {"text": "Hi"}
    )
    assert refused.status_code == 400 and 'data-testid="share-refused"' in refused.content.decode()
    as_json = client.post(
        url("share_by_hand", org_a, content_id=content.pk, channel="copy"), {"text": "Hi"}
    )
    assert as_json.status_code == 400 and "limit" in as_json.json()["error"]
    odd = client.post(
        url("share_by_hand", org_a, content_id=content.pk, channel="x" * 500), {"text": "Hi"}
    )
    assert odd.status_code == 400
    assert not Share.objects.exists()


def test_my_shares_lists_only_mine_with_results(
    web, org_a, employee_a, member_factory, django_assert_max_num_queries
):
    mine = ShareFactory(membership=employee_a, clicks=42, impressions=None)
    ShareFactory(membership=member_factory(org_a), text="Not mine")
    for _ in range(20):
        ShareFactory(membership=employee_a)
    client = web.as_member(employee_a)
    client.get(url("my_shares", org_a))
    with django_assert_max_num_queries(12):
        html = client.get(url("my_shares", org_a)).content.decode()
    assert html.count('data-testid="share-row"') == 21
    assert f'data-share-id="{mine.pk}"' in html and ">42<" in html and "Not mine" not in html


def test_another_members_share_cannot_be_retried(web, org_a, employee_a, member_factory):
    other = ShareFactory(membership=member_factory(org_a), status=Share.Status.FAILED)
    response = web.as_member(employee_a).post(url("share_retry", org_a, pk=other.pk))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Share.Status.FAILED


def test_campaign_pages_for_curators_and_employees(web, org_a, admin_a, employee_a):
    item = ContentFactory(organization=org_a)
    client = web.as_member(admin_a)
    response = client.post(
        url("campaign_create", org_a),
        {
            "name": "Hiring week",
            "description": "",
            "goal_clicks": "500",
            "points_per_share": "10",
            "points_per_click": "1",
            "items": [item.pk],
            "starts_at": "",
            "ends_at": "",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(organization=org_a)
    assert campaign.slug == "hiring-week" and campaign.goal_clicks == 500
    assert (
        web.as_member(employee_a).get(url("campaign_detail", org_a, pk=campaign.pk)).status_code
        == 404
    )  # a draft
    assert web.as_member(employee_a).get(url("campaign_list", org_a)).status_code == 403
    client = web.as_member(admin_a)
    client.post(url("campaign_launch", org_a, pk=campaign.pk))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE
    detail = web.as_member(employee_a).get(url("campaign_detail", org_a, pk=campaign.pk))
    assert (
        detail.status_code == 200
        and url("compose", org_a, content_id=item.pk) in detail.content.decode()
    )


def test_campaign_form_reads_times_in_the_orgs_time_zone(web, org_a, admin_a):
    org_a.timezone = "Asia/Jakarta"
    org_a.save()
    web.as_member(admin_a).post(
        url("campaign_create", org_a),
        {
            "name": "Ramadan",
            "points_per_share": "10",
            "points_per_click": "1",
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-30T17:00",
        },
    )
    campaign = Campaign.objects.get(organization=org_a)
    assert campaign.starts_at == datetime.datetime(2030, 3, 1, 2, 0, tzinfo=datetime.UTC)


def test_campaign_of_another_org_is_404_and_untouched(web, org_a, org_b, admin_a):
    foreign = CampaignFactory(organization=org_b)
    CampaignItemFactory(campaign=foreign)
    client = web.as_member(admin_a)
    assert client.get(url("campaign_detail", org_a, pk=foreign.pk)).status_code == 404
    assert client.post(url("campaign_launch", org_a, pk=foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Campaign.Status.DRAFT


def test_settings_page_is_for_admins(web, org_a, admin_a, member_factory):
    curator = member_factory(org_a, Role.CURATOR)
    assert web.as_member(curator).get(url("settings", org_a)).status_code == 403
    client = web.as_member(admin_a)
    response = client.post(
        url("settings", org_a),
        {
            "announce_by_email": "on",
            "sharing_starts": "08:00",
            "sharing_ends": "20:00",
            "daily_share_limit": "3",
            "short_domain": "Go.Acme.example",
            "slack_webhook_url": "",
            "teams_webhook_url": "",
        },
    )
    assert response.status_code == 302
    saved = CampaignSettings.objects.get(organization=org_a)
    assert saved.daily_share_limit == 3 and saved.short_domain == "go.acme.example"
    bad = client.post(
        url("settings", org_a), {"sharing_starts": "08:00", "short_domain": "not a domain"}
    )
    assert bad.status_code == 400
