"""Every way of sharing follows the same rules: guidelines first, a shareable item,
text within the network's limit, no past times, sharing hours and the daily limit."""

import datetime
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy.tenancy.access import NotInOrganization
from advocacy.tenancy.models import Role
from campaigns import services
from campaigns.models import Campaign, CampaignSettings, Share, TrackedLink
from campaigns.services.shares import within_sharing_hours
from social.models import Connection

from .factories import (
    CampaignFactory,
    CampaignItemFactory,
    ConnectionFactory,
    ContentFactory,
    publish_guidelines,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def advocate(org_a, member_factory):
    return member_factory(org_a, Role.EMPLOYEE)


@pytest.fixture
def linkedin(advocate):
    return ConnectionFactory(membership=advocate, network="linkedin")


def _compose(advocate, content, connections, text="Proud of this team", **kwargs):
    return services.share_compose(
        organization=advocate.organization,
        membership=advocate,
        content=content,
        text=text,
        connections=connections,
        **kwargs,
    )


def test_compose_now_creates_a_pending_share_with_its_own_tracked_link(advocate, linkedin, org_a):
    content = ContentFactory(organization=org_a)
    x = ConnectionFactory(membership=advocate, network="x")
    shares = _compose(advocate, content, [linkedin, x])
    assert {s.channel for s in shares} == {"linkedin", "x"}
    assert all(s.status == Share.Status.PENDING for s in shares)
    links = TrackedLink.objects.filter(share__in=shares)
    assert links.count() == 2 and len({link.code for link in links}) == 2
    assert all(
        "utm_source=" in link.target_url and "utm_medium=employee_advocacy" in link.target_url
        for link in links
    )


def test_a_share_counts_toward_the_members_active_campaign(advocate, linkedin, org_a):
    content = ContentFactory(organization=org_a)
    campaign = CampaignFactory(
        organization=org_a, status=Campaign.Status.ACTIVE, slug="hiring-week"
    )
    CampaignItemFactory(campaign=campaign, content=content)
    share = _compose(advocate, content, [linkedin])[0]
    assert share.campaign == campaign
    assert "utm_campaign=hiring-week" in share.links.get().target_url


def test_the_same_batch_submitted_twice_makes_the_shares_once(advocate, linkedin, org_a):
    content = ContentFactory(organization=org_a)
    batch = uuid.uuid4()
    first = _compose(advocate, content, [linkedin], batch=batch)
    again = _compose(advocate, content, [linkedin], batch=batch)
    assert [s.pk for s in first] == [s.pk for s in again]
    assert Share.objects.count() == 1


def test_guidelines_must_be_acknowledged_first(advocate, linkedin, org_a):
    publish_guidelines(org_a)
    with pytest.raises(ValidationError) as refused:
        _compose(advocate, ContentFactory(organization=org_a), [linkedin])
    assert refused.value.code == "guidelines"
    with pytest.raises(ValidationError):
        services.share_record_by_hand(
            organization=org_a,
            membership=advocate,
            content=ContentFactory(organization=org_a),
            channel="copy",
            text="Look",
        )
    assert not Share.objects.exists()


def test_acknowledged_guidelines_let_the_share_through(advocate, linkedin, org_a):
    publish_guidelines(org_a, acknowledged_by=[advocate])
    assert _compose(advocate, ContentFactory(organization=org_a), [linkedin])


def test_an_expired_item_cannot_be_shared(advocate, linkedin, org_a):
    expired = ContentFactory(
        organization=org_a, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as refused:
        _compose(advocate, expired, [linkedin])
    assert "expired" in " ".join(refused.value.messages)
    assert not Share.objects.exists()


def test_text_over_the_networks_limit_is_refused_and_nothing_is_kept(advocate, org_a):
    x = ConnectionFactory(membership=advocate, network="x")
    content = ContentFactory(organization=org_a)
    with pytest.raises(ValidationError) as refused:
        _compose(advocate, content, [x], text="a" * 260)  # + space + 23 for the link > 280
    assert (
        "X" in refused.value.message_dict["text"][0]
        and "280" in refused.value.message_dict["text"][0]
    )
    assert not Share.objects.exists() and not TrackedLink.objects.exists()
    assert _compose(advocate, content, [x], text="a" * 250)


def test_empty_text_and_no_network_are_refused(advocate, linkedin, org_a):
    content = ContentFactory(organization=org_a)
    with pytest.raises(ValidationError):
        _compose(advocate, content, [linkedin], text="   ")
    with pytest.raises(ValidationError):
        _compose(advocate, content, [])


def test_someone_elses_or_a_broken_connection_is_refused(advocate, org_a, member_factory):
    content = ContentFactory(organization=org_a)
    colleague = ConnectionFactory(membership=member_factory(org_a))
    with pytest.raises(ValidationError):
        _compose(advocate, content, [colleague])
    broken = ConnectionFactory(membership=advocate, status=Connection.Status.REAUTH_REQUIRED)
    with pytest.raises(ValidationError) as refused:
        _compose(advocate, content, [broken])
    assert "reconnecting" in " ".join(refused.value.messages)


def test_scheduling_in_the_past_is_refused_and_in_the_future_waits(advocate, linkedin, org_a):
    content = ContentFactory(organization=org_a)
    with pytest.raises(ValidationError) as refused:
        _compose(
            advocate, content, [linkedin], scheduled_at=timezone.now() - datetime.timedelta(hours=1)
        )
    assert "scheduled_at" in refused.value.message_dict
    later = timezone.now() + datetime.timedelta(hours=3)
    share = _compose(advocate, content, [linkedin], scheduled_at=later)[0]
    assert (
        share.status == Share.Status.SCHEDULED
        and share.scheduled_at == later
        and share.dispatched_at is None
    )


def test_sharing_hours_in_the_orgs_time_zone(advocate, linkedin, org_a):
    org_a.timezone = "Asia/Jakarta"
    org_a.save()
    CampaignSettings.objects.create(
        organization=org_a, sharing_starts=datetime.time(8), sharing_ends=datetime.time(18)
    )
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    tomorrow = (timezone.now().astimezone(jakarta) + datetime.timedelta(days=1)).date()
    night = datetime.datetime.combine(tomorrow, datetime.time(22), tzinfo=jakarta)
    morning = datetime.datetime.combine(tomorrow, datetime.time(9), tzinfo=jakarta)
    content = ContentFactory(organization=org_a)
    with pytest.raises(ValidationError) as refused:
        _compose(advocate, content, [linkedin], scheduled_at=night)
    assert "Asia/Jakarta" in refused.value.messages[0]
    assert _compose(advocate, content, [linkedin], scheduled_at=morning)


def test_sharing_hours_across_midnight():
    night_shift = CampaignSettings(sharing_starts=datetime.time(20), sharing_ends=datetime.time(2))
    at = lambda hour: datetime.datetime(2026, 1, 1, hour, tzinfo=datetime.UTC)  # noqa: E731
    assert within_sharing_hours(night_shift, at(23)) and within_sharing_hours(night_shift, at(1))
    assert not within_sharing_hours(night_shift, at(12))
    assert within_sharing_hours(CampaignSettings(), at(3))


def test_daily_limit_counts_different_posts_per_day(advocate, linkedin, org_a):
    CampaignSettings.objects.create(organization=org_a, daily_share_limit=2)
    first, second, third = (ContentFactory(organization=org_a) for _ in range(3))
    x = ConnectionFactory(membership=advocate, network="x")
    _compose(advocate, first, [linkedin, x])  # one post on two networks counts once
    services.share_record_by_hand(
        organization=org_a, membership=advocate, content=second, channel="whatsapp", text="Hi"
    )
    with pytest.raises(ValidationError) as refused:
        _compose(advocate, third, [linkedin])
    assert "limit of 2" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.share_record_by_hand(
            organization=org_a, membership=advocate, content=third, channel="copy", text="Hi"
        )
    # the same item again (another channel) is not a new post
    assert services.share_record_by_hand(
        organization=org_a, membership=advocate, content=first, channel="email", text="Hi"
    )
    # scheduling it for tomorrow is fine
    tomorrow = timezone.now() + datetime.timedelta(days=1, hours=1)
    assert _compose(advocate, third, [linkedin], scheduled_at=tomorrow)


def test_failed_and_cancelled_shares_do_not_count_toward_the_limit(advocate, linkedin, org_a):
    CampaignSettings.objects.create(organization=org_a, daily_share_limit=1)
    share = _compose(advocate, ContentFactory(organization=org_a), [linkedin])[0]
    Share.objects.filter(pk=share.pk).update(status=Share.Status.FAILED)
    assert _compose(advocate, ContentFactory(organization=org_a), [linkedin])


def test_by_hand_share_is_one_per_item_and_channel_with_a_stable_link(
    advocate, org_a, published_events, django_capture_on_commit_callbacks
):
    content = ContentFactory(organization=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        share, url = services.share_record_by_hand(
            organization=org_a,
            membership=advocate,
            content=content,
            channel="whatsapp",
            text="Look at this",
        )
        again, url_again = services.share_record_by_hand(
            organization=org_a,
            membership=advocate,
            content=content,
            channel="whatsapp",
            text="Look at this!",
        )
    assert share.pk == again.pk and url == url_again and url.endswith(share.links.get().code)
    assert again.text == "Look at this!" and again.status == Share.Status.SHARED_BY_HAND
    other, other_url = services.share_record_by_hand(
        organization=org_a, membership=advocate, content=content, channel="copy", text="Look"
    )
    assert other.pk != share.pk and other_url != url
    assert [e.share_id for e in published_events] == [share.pk]  # once, not per press
    assert (
        published_events[0].network == "whatsapp"
        and published_events[0].membership_id == advocate.pk
    )


def test_by_hand_x_share_respects_xs_limit(advocate, org_a):
    with pytest.raises(ValidationError):
        services.share_record_by_hand(
            organization=org_a,
            membership=advocate,
            content=ContentFactory(organization=org_a),
            channel="x",
            text="a" * 275,
        )
    assert not Share.objects.exists()


def test_unknown_channel_is_refused(advocate, org_a):
    with pytest.raises(ValidationError):
        services.share_record_by_hand(
            organization=org_a,
            membership=advocate,
            content=ContentFactory(organization=org_a),
            channel="myspace",
            text="Hi",
        )


def test_custom_short_domain_is_used_for_links(advocate, org_a):
    CampaignSettings.objects.create(organization=org_a, short_domain="go.acme.example")
    _share, url = services.share_record_by_hand(
        organization=org_a,
        membership=advocate,
        content=ContentFactory(organization=org_a),
        channel="copy",
        text="Hi",
    )
    assert url.startswith("https://go.acme.example/r/")


def test_retry_only_failed_and_cancel_only_scheduled(advocate, linkedin, org_a):
    content = ContentFactory(organization=org_a)
    share = _compose(advocate, content, [linkedin])[0]
    with pytest.raises(ValidationError):
        services.share_retry(organization=org_a, share=share, actor=advocate)
    with pytest.raises(ValidationError):
        services.share_cancel(organization=org_a, share=share, actor=advocate)
    Share.objects.filter(pk=share.pk).update(status=Share.Status.FAILED, error="Refused")
    share.refresh_from_db()
    retried = services.share_retry(organization=org_a, share=share, actor=advocate)
    assert retried.status == Share.Status.PENDING and retried.attempts == 1 and retried.error == ""
    later = _compose(
        advocate, content, [linkedin], scheduled_at=timezone.now() + datetime.timedelta(hours=2)
    )[0]
    assert (
        services.share_cancel(organization=org_a, share=later, actor=advocate).status
        == Share.Status.CANCELLED
    )


def test_only_the_advocate_retries_or_cancels_their_share_a_colleague_finds_nothing(
    advocate, linkedin, org_a, member_factory
):
    """The service keeps the promise itself, whichever view or API calls it: a colleague's
    share reads as missing (404), even to an admin, and stays as it was."""
    content = ContentFactory(organization=org_a)
    failed = _compose(advocate, content, [linkedin])[0]
    Share.objects.filter(pk=failed.pk).update(status=Share.Status.FAILED, error="Refused")
    failed.refresh_from_db()
    later = _compose(
        advocate, content, [linkedin], scheduled_at=timezone.now() + datetime.timedelta(hours=2)
    )[0]
    for colleague in (member_factory(org_a), member_factory(org_a, Role.ADMIN)):
        with pytest.raises(NotInOrganization):
            services.share_retry(organization=org_a, share=failed, actor=colleague)
        with pytest.raises(NotInOrganization):
            services.share_cancel(organization=org_a, share=later, actor=colleague)
    failed.refresh_from_db()
    later.refresh_from_db()
    assert (failed.status, later.status) == (Share.Status.FAILED, Share.Status.SCHEDULED)
