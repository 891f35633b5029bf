"""Retention: raw clicks and metric snapshots older than an organization keeps them
are deleted every night, while the rollups stay exact.

The rollups are never touched by the purge, so what dashboards show does not move.
What the purged rows contributed is kept as totals (`privacy.PurgedTotals`): click
metrics per (share, day), each purged snapshot's difference per (share, day), and
per share the counters of its last purged snapshot, which is where the next
snapshot's difference starts from. `rollups_rebuild` adds those back
(`purged_facts`, `purged_baselines`), so a rebuild after a purge equals the
rollups before it.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from advocacy.privacy.models import PurgedTotals
from advocacy.tenancy.models import Organization
from analytics.models import ClickEvent, MetricSnapshot
from analytics.rollups.facts import SNAPSHOT_METRICS, Fact, counted_after

FACTS, BASELINE = "facts", "baseline"


def horizon(organization: Organization, days: int, now: datetime.datetime | None = None):
    """Midnight (the organization's) `days` days ago: whole local days go together."""
    zone = zoneinfo.ZoneInfo(organization.timezone)
    today = (now or timezone.now()).astimezone(zone).date()
    start = today - datetime.timedelta(days=days)
    return datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)


def _add(totals: dict, share_id: int, day: datetime.date, metrics: dict) -> None:
    bucket = totals[(share_id, day)]
    for name, value in metrics.items():
        bucket[name] = bucket.get(name, 0) + int(value)


def _store(organization: Organization, totals: dict) -> None:
    for (share_id, day), metrics in totals.items():
        row, _created = PurgedTotals.objects.for_org(organization).get_or_create(
            organization=organization, kind=FACTS, share_id=share_id, day=day
        )
        for name, value in metrics.items():
            row.metrics[name] = row.metrics.get(name, 0) + value
        row.save(update_fields=["metrics"])


def clicks_purge(*, organization: Organization, before: datetime.datetime) -> int:
    zone = zoneinfo.ZoneInfo(organization.timezone)
    with transaction.atomic():
        old = ClickEvent.objects.for_org(organization).filter(clicked_at__lt=before)
        grouped = (
            old.annotate(day=TruncDate("clicked_at", tzinfo=zone))
            .values_list("day", "share_id")
            .annotate(
                humans=Count("id", filter=Q(is_bot=False)),
                bots=Count("id", filter=Q(is_bot=True)),
                unique=Count("id", filter=Q(is_bot=False, is_unique=True)),
            )
            .order_by()
        )
        totals: dict = defaultdict(dict)
        for day, share_id, humans, bots, unique in grouped:
            _add(
                totals,
                share_id,
                day,
                {"clicks": humans, "unique_clicks": unique, "bot_clicks": bots},
            )
        _store(organization, totals)
        deleted, _ = old.delete()
    return deleted


def snapshots_purge(*, organization: Organization, before: datetime.datetime) -> int:
    zone = zoneinfo.ZoneInfo(organization.timezone)
    with transaction.atomic():
        snapshots = MetricSnapshot.objects.for_org(organization)
        last_old_slot = dict(
            snapshots.filter(taken_at__lt=before)
            .values_list("share_id")
            .annotate(slot=Max("slot"))
            .order_by()
        )
        if not last_old_slot:
            return 0
        baselines = {
            row.share_id: row
            for row in PurgedTotals.objects.for_org(organization).filter(
                kind=BASELINE, share_id__in=last_old_slot
            )
        }
        totals: dict = defaultdict(dict)
        purged = 0
        for share_id, last_slot in last_old_slot.items():
            baseline = baselines.get(share_id)
            counted = dict(baseline.metrics) if baseline else {}
            rows = snapshots.filter(share_id=share_id, slot__lte=last_slot).order_by("slot")
            for row in rows.values_list("taken_at", *SNAPSHOT_METRICS):
                values = dict(zip(SNAPSHOT_METRICS, row[1:], strict=True))
                counted, differences = counted_after(counted, values)
                _add(totals, share_id, row[0].astimezone(zone).date(), differences)
            if baseline is None:
                baseline = PurgedTotals(organization=organization, kind=BASELINE, share_id=share_id)
            baseline.metrics = counted
            baseline.save()
            purged += rows.delete()[0]
        _store(organization, totals)
    return purged


def retention_purge(
    *,
    organization: Organization,
    raw_clicks_days: int | None,
    metric_snapshots_days: int | None,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    done = {"clicks": 0, "snapshots": 0}
    if raw_clicks_days is not None:
        done["clicks"] = clicks_purge(
            organization=organization, before=horizon(organization, raw_clicks_days, now)
        )
    if metric_snapshots_days is not None:
        done["snapshots"] = snapshots_purge(
            organization=organization, before=horizon(organization, metric_snapshots_days, now)
        )
    return done


def purged_facts(organization: Organization) -> Iterator[Fact]:
    for share_id, day, metrics in (
        PurgedTotals.objects.for_org(organization)
        .filter(kind=FACTS)
        .values_list("share_id", "day", "metrics")
    ):
        yield Fact(share_id, day, metrics)


def purged_baselines(organization: Organization) -> dict[int, dict]:
    return dict(
        PurgedTotals.objects.for_org(organization)
        .filter(kind=BASELINE)
        .values_list("share_id", "metrics")
    )
