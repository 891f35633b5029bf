"""Recompute an organization's rollups from the raw tables (`manage.py rebuild_rollups`).

The same attribution and arithmetic as the incremental path (`rollup_facts`):
clicks by their organization-local day, shares by the day they were published,
engagement as the differences between a share's snapshots in slot order (a
metric a network did not report keeps its last value), comments by the day
they were first seen, conversions by the day they happened. Clicks are grouped
by (day, share) in the database, so a rebuild reads millions of clicks quickly.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from advocacy.tenancy.models import Organization
from analytics.conversions.record import conversion_rollup
from analytics.engagement.snapshots import comment_rollup, counted_after
from analytics.models import (
    CampaignClickDaily,
    ClickDaily,
    ClickEvent,
    Comment,
    Conversion,
    MetricSnapshot,
    PollSchedule,
)
from analytics.rollups.facts import ROLLUP_MODELS, SNAPSHOT_METRICS, Deltas, share_facts
from campaigns.models import Share

COUNTED_SHARES = (Share.Status.PUBLISHED, Share.Status.SHARED_BY_HAND)


def _local_day(value, zone):
    return value.astimezone(zone).date()


def rebuild_organization(organization: Organization) -> None:
    zone = zoneinfo.ZoneInfo(organization.timezone)
    for model in (*ROLLUP_MODELS, ClickDaily, CampaignClickDaily):
        model.objects.for_org(organization).delete()
    facts = share_facts(share_ids=Share.objects.for_org(organization).values_list("id", flat=True))
    deltas = Deltas()

    # Shares, on the day they went out.
    for share_id, published_at, followers in (
        Share.objects.for_org(organization)
        .filter(status__in=COUNTED_SHARES, published_at__isnull=False)
        .values_list("id", "published_at", "followers_at_share")
    ):
        deltas.add(
            facts[share_id],
            _local_day(published_at, zone),
            shares=1,
            potential_reach=followers or 0,
        )

    # Clicks, grouped by day and share in the database.
    per_day: Counter = Counter()
    per_day_unique: Counter = Counter()
    per_campaign: Counter = Counter()
    per_campaign_unique: Counter = Counter()
    grouped = (
        ClickEvent.objects.for_org(organization)
        .annotate(day=TruncDate("clicked_at", tzinfo=zone))
        .values_list("day", "share_id")
        .annotate(
            humans=Count("id", filter=Q(is_bot=False)),
            bots=Count("id", filter=Q(is_bot=True)),
            unique=Count("id", filter=Q(is_bot=False, is_unique=True)),
        )
        .order_by()
    )
    for day, share_id, humans, bots, unique in grouped.iterator(chunk_size=5000):
        fact = facts.get(share_id)
        if fact is None:
            continue
        deltas.add(fact, day, clicks=humans, bot_clicks=bots, unique_clicks=unique)
        per_day[day] += humans
        per_day_unique[day] += unique
        if fact.campaign_id:
            per_campaign[(day, fact.campaign_id)] += humans
            per_campaign_unique[(day, fact.campaign_id)] += unique

    # Engagement: differences between consecutive snapshots of each share.
    counted: dict[int, dict] = defaultdict(dict)
    for row in (
        MetricSnapshot.objects.for_org(organization)
        .order_by("share_id", "slot")
        .values_list("share_id", "taken_at", *SNAPSHOT_METRICS)
        .iterator(chunk_size=5000)
    ):
        share_id, taken_at, values = (
            row[0],
            row[1],
            dict(zip(SNAPSHOT_METRICS, row[2:], strict=True)),
        )
        counted[share_id], differences = counted_after(counted[share_id], values)
        if share_id in facts:
            deltas.add(facts[share_id], _local_day(taken_at, zone), **differences)

    for share_id, seen_at, score in Comment.objects.for_org(organization).values_list(
        "share_id", "seen_at", "sentiment"
    ):
        if share_id in facts:
            deltas.add(facts[share_id], _local_day(seen_at, zone), **comment_rollup(score))

    for conversion in Conversion.objects.for_org(organization).only(
        "share_id", "occurred_at", "value", "currency"
    ):
        if conversion.share_id in facts:
            deltas.add(
                facts[conversion.share_id],
                _local_day(conversion.occurred_at, zone),
                **conversion_rollup(organization, conversion),
            )
    deltas.flush()

    # What the poller has counted per share must match the snapshots it now stands for.
    for schedule in PollSchedule.objects.for_org(organization).only("id", "share_id", "counted"):
        if schedule.counted != counted.get(schedule.share_id, {}):
            PollSchedule.objects.for_org(organization).filter(pk=schedule.pk).update(
                counted=counted.get(schedule.share_id, {})
            )

    ClickDaily.objects.bulk_create(
        ClickDaily(organization=organization, day=day, clicks=n, unique_clicks=per_day_unique[day])
        for day, n in per_day.items()
        if n
    )
    CampaignClickDaily.objects.bulk_create(
        CampaignClickDaily(
            organization=organization,
            day=day,
            campaign_id=campaign_id,
            clicks=n,
            unique_clicks=per_campaign_unique[(day, campaign_id)],
        )
        for (day, campaign_id), n in per_campaign.items()
        if n
    )
