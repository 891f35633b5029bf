"""Counting a batch of clicks (what the flusher does inside its transaction)."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.clicks.bots import is_bot
from analytics.clicks.record import Click, clicks_record
from analytics.models import CampaignDaily, ClickEvent, OrgDaily
from campaigns.models import Share

from .factories import CampaignFactory, tracked_link_for

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 [LinkedInApp]"


def _click(
    link,
    click_id: str,
    at: dt.datetime,
    *,
    visitor: str = "v" * 32,
    user_agent: str = PHONE,
    **fields,
):
    return Click(
        click_id=click_id,
        organization_id=link.organization_id,
        link_id=link.pk,
        share_id=link.share_id,
        membership_id=link.share.membership_id,
        campaign_id=link.share.campaign_id,
        clicked_at=at,
        visitor_hash=visitor,
        user_agent=user_agent,
        **fields,
    )


def _clicks(share_id: int) -> int:
    return Share.objects.get(pk=share_id).clicks


def test_the_same_visitor_an_hour_later_is_a_new_unique_click(org_a):
    link = tracked_link_for(org_a)
    base = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)
    clicks_record(
        [_click(link, "hour-1", base), _click(link, "hour-2", base + dt.timedelta(minutes=40))]
    )
    clicks_record([_click(link, "hour-3", base + dt.timedelta(minutes=50))])
    assert sorted(ClickEvent.objects.filter(is_unique=True).values_list("click_id", flat=True)) == [
        "hour-1",
        "hour-3",
    ]
    assert _clicks(link.share_id) == 2


def test_a_batch_delivered_twice_counts_nothing_twice(org_a):
    campaign = CampaignFactory(organization=org_a)
    link = tracked_link_for(org_a, campaign=campaign)
    at = dt.datetime.now(dt.UTC)

    def batch():
        return [_click(link, f"twice-{n}", at, visitor=f"{n:032d}") for n in range(5)]

    assert [len(clicks_record(batch())), len(clicks_record(batch()))] == [5, 0]
    assert ClickEvent.objects.count() == 5
    assert _clicks(link.share_id) == 5
    assert OrgDaily.objects.for_org(org_a).get().unique_clicks == 5
    assert CampaignDaily.objects.for_org(org_a).get(campaign=campaign).clicks == 5


def test_daily_rollups_use_the_organizations_calendar(org_a):
    org_a.timezone = "Asia/Jakarta"  # UTC+7
    org_a.save()
    campaign = CampaignFactory(organization=org_a)
    link = tracked_link_for(org_a, campaign=campaign)
    late_evening_utc = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)  # 03:00 on 2 March in Jakarta
    clicks_record(
        [
            _click(link, f"day-{n}", late_evening_utc, user_agent=user_agent)
            for n, user_agent in enumerate([PHONE, PHONE, "Twitterbot/1.0"])
        ]
    )
    daily = OrgDaily.objects.for_org(org_a).get()
    assert (daily.day, daily.clicks, daily.unique_clicks, daily.bot_clicks) == (
        dt.date(2026, 3, 2),
        2,
        1,
        1,
    )
    per_campaign = CampaignDaily.objects.for_org(org_a).get()
    assert (per_campaign.campaign_id, per_campaign.clicks, per_campaign.unique_clicks) == (
        campaign.pk,
        2,
        1,
    )


def test_odd_characters_in_stored_fields_survive_the_bulk_insert(org_a):
    link = tracked_link_for(org_a)
    referer = "https://intranet.example/a\\b\tc"
    clicks_record([_click(link, "odd-1", dt.datetime.now(dt.UTC), referer=referer)])
    assert ClickEvent.objects.get(click_id="odd-1").referer == referer


def test_a_click_on_a_deleted_link_is_dropped_not_failed(org_a):
    link = tracked_link_for(org_a)
    gone = _click(link, "gone-1", dt.datetime.now(dt.UTC))
    Share.objects.filter(pk=link.share_id).delete()
    assert clicks_record([gone]) == []
    assert not ClickEvent.objects.exists()


@pytest.mark.parametrize(
    "user_agent",
    [
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0 A",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ],
)
def test_crawlers_and_link_previews_are_bots(user_agent):
    assert is_bot(user_agent)


@pytest.mark.parametrize(
    "user_agent",
    [
        PHONE,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 [FBAN/FBIOS;FBAV/470.0]",
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36 Instagram 334.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
    ],
)
def test_people_and_in_app_browsers_are_not_bots(user_agent):
    assert not is_bot(user_agent)


def test_recount_sets_share_counters_back_to_the_stored_clicks(org_a):
    from django.core.management import call_command

    link = tracked_link_for(org_a)
    now = dt.datetime.now(dt.UTC)
    clicks_record([_click(link, f"re-{n}", now, visitor=f"{n:032d}") for n in range(3)])
    Share.objects.filter(pk=link.share_id).update(clicks=99)  # a counter gone wrong
    call_command("recount_clicks", organization=org_a.slug)
    assert _clicks(link.share_id) == 3


def test_a_burst_from_one_visitor_on_an_advocates_link_is_reported_once(
    org_a, django_capture_on_commit_callbacks
):
    from advocacy import events

    seen: list[events.SelfClicksDetected] = []
    handler = events.subscribe(events.SelfClicksDetected)(seen.append)
    try:
        link = tracked_link_for(org_a)
        base = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
        with django_capture_on_commit_callbacks(execute=True):
            clicks_record(
                [_click(link, f"burst-{n}", base + dt.timedelta(minutes=n)) for n in range(3)]
            )
            clicks_record([_click(link, "other", base, visitor="o" * 32)])
        assert seen == []
        with django_capture_on_commit_callbacks(execute=True):
            clicks_record(
                [_click(link, f"burst-{n}", base + dt.timedelta(minutes=n)) for n in range(3, 6)]
            )
            clicks_record([_click(link, "burst-6", base + dt.timedelta(minutes=6))])
    finally:
        events._handlers[events.SelfClicksDetected].remove(handler)
    assert [(e.share_id, e.membership_id, e.same_visitor_clicks) for e in seen] == [
        (link.share_id, link.share.membership_id, 6)
    ]


def test_a_self_click_burst_holds_the_advocates_click_points(
    org_a, django_capture_on_commit_callbacks
):
    from recognition.models import GamingFlag

    link = tracked_link_for(org_a)
    base = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        clicks_record([_click(link, f"self-{n}", base + dt.timedelta(minutes=n)) for n in range(5)])
    flag = GamingFlag.objects.get(organization=org_a, kind=GamingFlag.Kind.SELF_CLICKS)
    assert (flag.membership_id, flag.reference_id) == (link.share.membership_id, link.share_id)
