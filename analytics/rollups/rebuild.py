"""Recompute an organization's rollups from the raw tables (`manage.py rebuild_rollups`).

It derives the same facts the live path adds, with the same functions
(`rollups.facts`), and hands them to the same writer (`rollups_add`): shares on
the day they went out, clicks grouped by (day, share) in the database (so a
rebuild reads millions of clicks quickly), engagement as the differences between
a share's snapshots in slot order, comments on the day they were first seen,
conversions on the day they happened.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from advocacy.tenancy.models import Organization
from analytics.models import (
    ClickEvent,
    Comment,
    Conversion,
    CountedShare,
    MetricSnapshot,
    PollSchedule,
)
from analytics.rollups.facts import (
    SNAPSHOT_METRICS,
    Fact,
    comment_metrics,
    conversion_metrics,
    counted_after,
    share_metrics,
)
from analytics.rollups.retention import purged_baselines, purged_facts
from analytics.rollups.shares import COUNTED_SHARES, shares_mark_counted
from analytics.rollups.writers import ROLLUP_MODELS, rollups_add
from campaigns.models import Share


def rollups_rebuild(*, organization: Organization) -> None:
    """Recompute every rollup of one organization from the raw tables, in one transaction."""
    with transaction.atomic():
        for model in ROLLUP_MODELS:
            model.objects.for_org(organization).delete()
        # Purged snapshots: the next difference starts where the last purged one stood.
        counted: dict[int, dict] = defaultdict(dict, purged_baselines(organization))
        rollups_add(_shares(organization))
        rollups_add(_clicks(organization))
        rollups_add(purged_facts(organization))  # what retention purged from raw
        rollups_add(_engagement(organization, counted))
        rollups_add(_comments_and_conversions(organization))
        # What the poller has counted per share must match the snapshots it now stands for.
        for schedule in PollSchedule.objects.for_org(organization).only(
            "id", "share_id", "counted"
        ):
            if schedule.counted != counted.get(schedule.share_id, {}):
                PollSchedule.objects.for_org(organization).filter(pk=schedule.pk).update(
                    counted=counted.get(schedule.share_id, {})
                )


def _shares(organization: Organization) -> Iterator[Fact]:
    rows = list(
        Share.objects.for_org(organization)
        .filter(status__in=COUNTED_SHARES, published_at__isnull=False)
        .values_list("id", "published_at", "followers_at_share")
    )
    CountedShare.objects.for_org(organization).delete()
    shares_mark_counted(organization=organization, share_ids=[row[0] for row in rows])
    for share_id, published_at, followers in rows:
        yield Fact(share_id, published_at, share_metrics(followers=followers))


def _clicks(organization: Organization) -> Iterator[Fact]:
    zone = zoneinfo.ZoneInfo(organization.timezone)
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
        yield Fact(share_id, day, {"clicks": humans, "unique_clicks": unique, "bot_clicks": bots})


def _engagement(organization: Organization, counted: dict[int, dict]) -> Iterator[Fact]:
    for row in (
        MetricSnapshot.objects.for_org(organization)
        .order_by("share_id", "slot")
        .values_list("share_id", "taken_at", *SNAPSHOT_METRICS)
        .iterator(chunk_size=5000)
    ):
        share_id, taken_at = row[0], row[1]
        values = dict(zip(SNAPSHOT_METRICS, row[2:], strict=True))
        counted[share_id], differences = counted_after(counted[share_id], values)
        yield Fact(share_id, taken_at, differences)


def _comments_and_conversions(organization: Organization) -> Iterator[Fact]:
    for share_id, seen_at, score in Comment.objects.for_org(organization).values_list(
        "share_id", "seen_at", "sentiment"
    ):
        yield Fact(share_id, seen_at, comment_metrics(score))
    for share_id, occurred_at, value, currency in Conversion.objects.for_org(
        organization
    ).values_list("share_id", "occurred_at", "value", "currency"):
        yield Fact(
            share_id,
            occurred_at,
            conversion_metrics(value=value, currency=currency, org_currency=organization.currency),
        )
