"""Rollups: what the flush, poll and conversion paths add up incrementally equals what
`rebuild_rollups` computes from the raw rows, on random data made through the real
services (publishing, the /r/ redirect and click flusher, polling, the conversion API)."""

# The sandbox fixtures are imported from engagement_support and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.clicks.flush import flush_click_stream
from analytics.conversions.record import conversion_key_create
from analytics.engagement.polling import claim_due, poll_batch
from analytics.models import ClickEvent, Conversion, OrgDaily
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from campaigns.models import TrackedLink
from tests.analytics.factories import CampaignFactory, ShareFactory
from tests.factories import TeamFactory

from .engagement_support import connect_account, publish, sandbox, sandbox_network  # noqa: F401
from .rollup_support import rollup_rows

# The click flusher acknowledges the stream only after a real commit.
pytestmark = pytest.mark.django_db(transaction=True)

HUMAN_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 [LinkedInApp]",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
]
BOT_AGENTS = ["LinkedInBot/1.0 (compatible; Mozilla/5.0)", "Twitterbot/1.0", "curl/8.5.0"]


def _click_ids(wsgi, link, rng, count) -> list[str]:
    ids = []
    for _ in range(count):
        agent = rng.choice(BOT_AGENTS) if rng.random() < 0.25 else rng.choice(HUMAN_AGENTS)
        response = wsgi(f"/r/{link.code}", ip=f"198.51.100.{rng.randint(1, 12)}", user_agent=agent)
        assert response.status_code == 302
        ids.append(parse_qs(urlsplit(response.headers["Location"]).query)["chorus_click"][0])
    return ids


def _poll_all(organization, now):
    for _org, connection_id, ids in claim_due(now=now):
        poll_batch(
            organization=organization, connection_id=connection_id, schedule_ids=ids, now=now
        )


@pytest.mark.parametrize("seed", [7, 2026])
def test_incremental_rollups_equal_a_rebuild_from_raw_data(
    seed,
    sandbox,
    click_redis,
    wsgi,
    client,
    org_a,
    member_factory,
    django_capture_on_commit_callbacks,
):
    rng = random.Random(seed)
    org_a.timezone = "Asia/Jakarta"
    org_a.save(update_fields=["timezone"])
    sales, tech = (
        TeamFactory(organization=org_a, name="Sales"),
        TeamFactory(organization=org_a, name="Tech"),
    )
    advocates = [member_factory(org_a, team=rng.choice([sales, tech])) for _ in range(3)]
    campaigns = [CampaignFactory(organization=org_a), CampaignFactory(organization=org_a)]
    connections = [
        connect_account(sandbox, advocates[0], "x", "ana"),
        connect_account(sandbox, advocates[1], "bluesky", "ben.bsky.social"),
        connect_account(sandbox, advocates[2], "linkedin", "cyd"),
    ]
    shares = [
        publish(
            rng.choice(connections),
            campaign=rng.choice([None, *campaigns]),
            capture=django_capture_on_commit_callbacks,
        )
        for _ in range(6)
    ]
    links = list(TrackedLink.objects.for_org(org_a).filter(share__in=shares))
    assert len(links) == len(shares)

    # Clicks through the real redirect, stored by the real flusher, in a few batches.
    click_ids = []
    for _batch in range(3):
        for link in rng.sample(links, 3):
            click_ids += _click_ids(wsgi, link, rng, rng.randint(1, 8))
        with django_capture_on_commit_callbacks(execute=True):
            flush_click_stream()
    assert ClickEvent.objects.for_org(org_a).count() == len(click_ids)

    # Polls at a few moments of the posts' lives.
    now = timezone.now()
    for hours in sorted(rng.sample([1, 3, 7, 30, 50, 80, 200], 4)):
        sandbox.control.set_clock((now + dt.timedelta(hours=hours)).isoformat())
        _poll_all(org_a, now + dt.timedelta(hours=hours))

    # Conversions from the company's servers: some repeated, some with made-up click ids.
    _key, raw = conversion_key_create(organization=org_a, actor=None, name="shop")
    recorded = 0
    for click_id in rng.sample(click_ids, min(6, len(click_ids))):
        for _attempt in range(rng.choice([1, 2])):
            response = client.post(
                "/api/v1/conversions",
                {
                    "click_id": click_id,
                    "type": rng.choice(["lead", "sale"]),
                    "value": rng.choice([0, 49.9, 120]),
                },
                content_type="application/json",
                headers={"authorization": f"Bearer {raw}"},
            )
            assert response.status_code in (200, 201), response.content
            recorded += response.status_code == 201
    forged = client.post(
        "/api/v1/conversions",
        {"click_id": "NotAClickId1234", "type": "lead"},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert forged.status_code == 400
    assert Conversion.objects.for_org(org_a).count() == recorded

    incremental = rollup_rows(org_a)
    assert sum(row.shares for row in OrgDaily.objects.for_org(org_a)) == 6
    assert incremental["OrgDaily"], "the random data produced no rollups"

    call_command("rebuild_rollups", org=org_a.slug)

    assert rollup_rows(org_a) == incremental


def test_rebuild_of_one_organization_leaves_the_others_alone(org_a, org_b, member_factory):
    share_b = ShareFactory(organization=org_b, published_at=timezone.now())
    rollups_add([Fact(share_b.pk, timezone.localdate(), {"shares": 1})])
    call_command("rebuild_rollups", org=org_a.slug)
    assert OrgDaily.objects.for_org(org_b).get().shares == 1
