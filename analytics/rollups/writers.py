"""The only writer of rollup tables: `rollups_add(facts)`.

Dashboards read only rollups. Every fact is attributed through its share and
added, in the caller's transaction, to the rows that cover it:

| table | key | answers |
|---|---|---|
| `OrgDaily` | (org, day) | the program with no filter |
| `CampaignDaily` | (org, day, campaign) | one campaign |
| `NetworkDaily` | (org, day, network) | one network |
| `MemberMonthly` | (org, month, advocate) | long-term and personal trends |
| `SegmentDaily` | (org, day, advocate, campaign, network) | people, or two filters at once |
| `ContentDaily` | (org, day, content) | content performance |

Rows are added with one `INSERT ... ON CONFLICT DO UPDATE SET x = x + EXCLUDED.x`
per table per call (`analytics.sql`), so concurrent writers add up and a batch
of 50,000 clicks costs six statements. Days are the organization's own days.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from advocacy.tenancy.models import Organization
from analytics.models import (
    CampaignDaily,
    ContentDaily,
    MemberMonthly,
    NetworkDaily,
    OrgDaily,
    SegmentDaily,
)
from analytics.rollups.facts import METRICS, Fact
from analytics.sql import insert_on_conflict
from campaigns.models import Share

ROLLUP_MODELS = (OrgDaily, CampaignDaily, NetworkDaily, MemberMonthly, SegmentDaily, ContentDaily)
KEY_COLUMNS: dict[type, tuple[str, ...]] = {
    OrgDaily: ("organization_id", "day"),
    CampaignDaily: ("organization_id", "day", "campaign_id"),
    NetworkDaily: ("organization_id", "day", "network"),
    MemberMonthly: ("organization_id", "month", "membership_id"),
    SegmentDaily: ("organization_id", "day", "membership_id", "campaign_key", "network"),
    ContentDaily: ("organization_id", "day", "content_id"),
}


@dataclass(frozen=True, slots=True)
class _Attribution:
    organization_id: int
    share_id: int
    membership_id: int
    campaign_id: int | None
    network: str
    content_id: int


def _attribution(share_ids: Iterable[int]) -> dict[int, _Attribution]:
    """Runs in whatever context the caller holds (the flusher's system context, or an org's)."""
    ids = list(set(share_ids))
    found: dict[int, _Attribution] = {}
    for start in range(0, len(ids), 5000):
        for row in Share.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            "organization_id", "id", "membership_id", "campaign_id", "channel", "content_id"
        ):
            found[row[1]] = _Attribution(*row)
    return found


def _rows(share: _Attribution, day: datetime.date) -> Iterator[tuple[type, tuple]]:
    org = share.organization_id
    yield OrgDaily, (org, day)
    if share.campaign_id:
        yield CampaignDaily, (org, day, share.campaign_id)
    yield NetworkDaily, (org, day, share.network)
    yield MemberMonthly, (org, day.replace(day=1), share.membership_id)
    yield SegmentDaily, (org, day, share.membership_id, share.campaign_id or 0, share.network)
    yield ContentDaily, (org, day, share.content_id)


def rollups_add(facts: Iterable[Fact]) -> None:
    """Add the facts' metrics to every rollup row that covers them.

    A fact whose share no longer exists counts nowhere (its rows went with it)."""
    facts = list(facts)
    if not facts:
        return
    shares = _attribution(fact.share_id for fact in facts)
    zones = {
        org_id: zoneinfo.ZoneInfo(tz)
        for org_id, tz in Organization.objects.filter(
            pk__in={share.organization_id for share in shares.values()}
        ).values_list("id", "timezone")
    }
    sums: dict[type, dict[tuple, dict[str, int | Decimal]]] = defaultdict(dict)
    for fact in facts:
        share = shares.get(fact.share_id)
        if share is None:
            continue
        day = fact.when
        if isinstance(day, datetime.datetime):
            day = day.astimezone(zones[share.organization_id]).date()
        changes = {name: value for name, value in fact.metrics.items() if value}
        if not changes:
            continue
        for model, key in _rows(share, day):
            row = sums[model].setdefault(key, {})
            for name, value in changes.items():
                row[name] = row.get(name, 0) + value
    # Rows are locked in one order (table, then key): two flusher lanes that add to the
    # same organization's day wait for each other, never deadlock.
    for model, rows in sorted(sums.items(), key=lambda item: item[0]._meta.db_table):
        keys = KEY_COLUMNS[model]
        insert_on_conflict(
            model._meta.db_table,
            [*keys, *METRICS],
            [
                (*key, *(_value(name, metrics.get(name, 0)) for name in METRICS))
                for key, metrics in sorted(rows.items())
            ],
            conflict=keys,
            add=METRICS,
        )


def _value(name: str, value):
    return Decimal(value).quantize(Decimal("0.01")) if name == "conversion_value" else value
