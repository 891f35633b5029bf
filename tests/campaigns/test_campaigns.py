"""Campaigns: audience, items, launch, announcements (email, Slack, Teams) and beat transitions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy.tenancy.access import NotInOrganization
from advocacy.tenancy.models import Role, Team
from campaigns import services
from campaigns.models import Campaign, CampaignSettings
from campaigns.selectors import campaign_audience_members, campaigns_for_member
from campaigns.tasks import advance_campaign_statuses

from .factories import CampaignFactory, CampaignItemFactory, ContentFactory

pytestmark = pytest.mark.django_db


def _campaign(org, admin, **fields):
    item = ContentFactory(organization=org)
    return services.campaign_create(
        organization=org, created_by=admin, name="Hiring week", items=[item], **fields
    )


def test_create_sets_items_audience_and_a_unique_slug(org_a, admin_a):
    sales = Team.objects.create(organization=org_a, name="Sales")
    items = [ContentFactory(organization=org_a), ContentFactory(organization=org_a)]
    first = services.campaign_create(
        organization=org_a,
        created_by=admin_a,
        name="Hiring week",
        items=items,
        teams=[sales],
        locations=["Jakarta"],
        roles=[Role.MANAGER],
        goal_clicks=500,
    )
    second = services.campaign_create(organization=org_a, created_by=admin_a, name="Hiring week")
    assert first.slug == "hiring-week" and second.slug == "hiring-week-2"
    assert [i.content_id for i in first.items.all()] == [items[0].pk, items[1].pk]
    rules = {(r.team_id, r.location, r.role) for r in first.audience_rules.all()}
    assert rules == {(sales.pk, "", ""), (None, "Jakarta", ""), (None, "", Role.MANAGER)}
    assert first.status == Campaign.Status.DRAFT and first.goal_clicks == 500


def test_items_and_teams_of_another_org_are_refused(org_a, org_b, admin_a):
    with pytest.raises(NotInOrganization):
        services.campaign_create(
            organization=org_a,
            created_by=admin_a,
            name="X",
            items=[ContentFactory(organization=org_b)],
        )
    with pytest.raises(NotInOrganization):
        services.campaign_create(
            organization=org_a,
            created_by=admin_a,
            name="X",
            teams=[Team.objects.create(organization=org_b, name="T")],
        )
    assert not Campaign.objects.exists()


def test_end_before_start_is_refused(org_a, admin_a):
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        _campaign(org_a, admin_a, starts_at=now, ends_at=now - datetime.timedelta(days=1))
    assert "ends_at" in refused.value.message_dict


def test_audience_by_team_tree_location_and_role(org_a, admin_a, member_factory):
    sales = Team.objects.create(organization=org_a, name="Sales")
    east = Team.objects.create(organization=org_a, name="East", parent=sales)
    in_subteam = member_factory(org_a, team=east)
    in_jakarta = member_factory(org_a, location="jakarta")
    outsider = member_factory(org_a, location="Boston")
    campaign = _campaign(org_a, admin_a, teams=[sales], locations=["Jakarta"])
    members = set(campaign_audience_members(organization=org_a, campaign=campaign))
    assert in_subteam in members and in_jakarta in members
    assert outsider not in members and admin_a not in members
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    assert campaigns_for_member(organization=org_a, membership=in_subteam) == [campaign]
    assert campaigns_for_member(organization=org_a, membership=outsider) == []


def test_launch_now_activates_announces_and_ticks_onboarding(
    org_a, admin_a, member_factory, mailoutbox, webhook_server, django_capture_on_commit_callbacks
):
    employee = member_factory(org_a, Role.EMPLOYEE)
    CampaignSettings.objects.create(
        organization=org_a,
        slack_webhook_url=f"{webhook_server.url}/slack/T0/B0/xyz",
        teams_webhook_url=f"{webhook_server.url}/teams/hook",
    )
    campaign = _campaign(org_a, admin_a, description="Tell your network we are hiring.")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(organization=org_a, campaign=campaign)
    assert campaign.status == Campaign.Status.ACTIVE
    campaign.refresh_from_db()
    assert campaign.announced_at is not None
    org_a.refresh_from_db()
    assert org_a.onboarding.get("launch_campaign") is True
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([employee.user.email, admin_a.user.email])
    message = mailoutbox[0]
    assert "Hiring week" in message.subject
    html = message.alternatives[0][0]
    assert f"/o/{org_a.slug}/campaigns/{campaign.pk}/" in message.body and "<a href=" in html
    assert f"/o/{org_a.slug}/share/" in message.body  # deep link straight to the composer
    by_path = {r["path"]: r["json"] for r in webhook_server.received}
    slack = by_path["/slack/T0/B0/xyz"]
    assert "Hiring week" in slack["text"]
    assert any(block["type"] == "actions" for block in slack["blocks"])
    teams = by_path["/teams/hook"]
    assert teams["@type"] == "MessageCard" and "Hiring week" in teams["title"]
    assert teams["potentialAction"][0]["targets"][0]["uri"].endswith(f"/campaigns/{campaign.pk}/")


def test_announcement_happens_once(org_a, admin_a, mailoutbox, django_capture_on_commit_callbacks):
    campaign = _campaign(org_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_launch(organization=org_a, campaign=campaign)
    sent = len(mailoutbox)
    assert sent == 1
    campaign.refresh_from_db()
    assert services.campaign_announce(organization=org_a, campaign=campaign) == {"announced": False}
    assert len(mailoutbox) == sent


def test_announcement_email_speaks_the_recipients_language(
    org_a, admin_a, member_factory, mailoutbox, django_capture_on_commit_callbacks
):
    admin_a.user.preferred_language = "id"
    admin_a.user.save()
    campaign = _campaign(org_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_launch(organization=org_a, campaign=campaign)
    assert "kampanye" in mailoutbox[0].subject.lower()


def test_a_webhook_to_a_private_address_is_refused_and_emails_still_go(
    org_a, admin_a, mailoutbox, webhook_server, settings, django_capture_on_commit_callbacks
):
    settings.CONTENT_FETCHER_ALLOW_LOOPBACK = False
    CampaignSettings.objects.create(
        organization=org_a, slack_webhook_url=f"{webhook_server.url}/slack"
    )
    campaign = _campaign(org_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_launch(organization=org_a, campaign=campaign)
    assert webhook_server.received == []
    assert len(mailoutbox) == 1


def test_launch_needs_items_and_a_draft(org_a, admin_a):
    empty = services.campaign_create(organization=org_a, created_by=admin_a, name="Empty")
    with pytest.raises(ValidationError):
        services.campaign_launch(organization=org_a, campaign=empty)
    campaign = _campaign(org_a, admin_a)
    services.campaign_launch(organization=org_a, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_launch(organization=org_a, campaign=campaign)


def test_future_start_is_scheduled_then_beat_activates_announces_and_ends_it(
    org_a, admin_a, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    campaign = _campaign(
        org_a,
        admin_a,
        starts_at=now + datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=7),
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(organization=org_a, campaign=campaign)
    assert campaign.status == Campaign.Status.SCHEDULED and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_campaign_statuses() == 0
    Campaign.objects.filter(pk=campaign.pk).update(starts_at=now - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_campaign_statuses() == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE and len(mailoutbox) == 1
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=now - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        advance_campaign_statuses()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ENDED and len(mailoutbox) == 1


def test_beat_leaves_other_orgs_and_drafts_alone(org_a, org_b):
    past = timezone.now() - datetime.timedelta(hours=1)
    draft = CampaignFactory(organization=org_a, starts_at=past)
    scheduled_b = CampaignFactory(
        organization=org_b, status=Campaign.Status.SCHEDULED, starts_at=past
    )
    CampaignItemFactory(campaign=scheduled_b)
    advance_campaign_statuses()
    draft.refresh_from_db()
    scheduled_b.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT
    assert scheduled_b.status == Campaign.Status.ACTIVE


def test_launched_slug_is_frozen(org_a, admin_a):
    campaign = _campaign(org_a, admin_a)
    services.campaign_launch(organization=org_a, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_update(organization=org_a, campaign=campaign, slug="renamed")


def test_settings_refuse_half_set_hours_and_bad_domains(org_a):
    with pytest.raises(ValidationError):
        services.campaign_settings_update(
            organization=org_a, sharing_starts=datetime.time(8), sharing_ends=None
        )
    with pytest.raises(ValidationError):
        services.campaign_settings_update(
            organization=org_a, short_domain="https://go.example.com/x"
        )
    saved = services.campaign_settings_update(
        organization=org_a,
        sharing_starts=datetime.time(8),
        sharing_ends=datetime.time(20),
        daily_share_limit=3,
        short_domain="go.acme.com",
    )
    assert saved.daily_share_limit == 3 and CampaignSettings.objects.for_org(org_a).count() == 1
