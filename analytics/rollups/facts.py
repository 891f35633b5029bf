"""The arithmetic of rollups: which rows a fact lands in, and adding to them in bulk.

A fact about a share (a click, its publication, a snapshot's difference, a
comment, a conversion) is attributed through the share: its advocate, campaign,
channel and content item. `Deltas` collects what a batch adds per rollup row
and `flush()` writes it with one upsert per rollup table.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from analytics.models import (
    CampaignDaily,
    ContentDaily,
    MemberMonthly,
    NetworkDaily,
    OrgDaily,
    SegmentDaily,
)
from campaigns.models import Share

METRICS = (
    "clicks",
    "bot_clicks",
    "unique_clicks",
    "shares",
    "potential_reach",
    "impressions",
    "reach",
    "reactions",
    "comments",
    "reposts",
    "network_clicks",
    "conversions",
    "conversion_value",
    "sentiment_sum",
    "sentiment_count",
    "positive_comments",
    "negative_comments",
)
# The counters a network snapshot moves, in MetricSnapshot's column names.
SNAPSHOT_METRICS = ("impressions", "reach", "reactions", "comments", "reposts", "clicks")
# ...and where each lands in a rollup ("clicks" on the network are not our tracked clicks).
SNAPSHOT_TO_ROLLUP = {
    "impressions": "impressions",
    "reach": "reach",
    "reactions": "reactions",
    "comments": "comments",
    "reposts": "reposts",
    "clicks": "network_clicks",
}
ROLLUP_MODELS = (OrgDaily, CampaignDaily, NetworkDaily, MemberMonthly, SegmentDaily, ContentDaily)
_CHUNK = 400  # rows per INSERT; 23 parameters each stays far under SQLite's limit


@dataclass(frozen=True, slots=True)
class ShareFact:
    organization_id: int
    share_id: int
    membership_id: int
    campaign_id: int | None
    network: str
    content_id: int


def share_facts(*, share_ids: Iterable[int]) -> dict[int, ShareFact]:
    """Attribution of shares by id. Runs in whatever context the caller holds
    (the click flusher's system context, or one organization's)."""
    ids = list(set(share_ids))
    found: dict[int, ShareFact] = {}
    for start in range(0, len(ids), 2000):
        for row in Share.objects.filter(pk__in=ids[start : start + 2000]).values_list(
            "organization_id", "id", "membership_id", "campaign_id", "channel", "content_id"
        ):
            found[row[1]] = ShareFact(*row)
    return found


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _keys(fact: ShareFact, day: datetime.date) -> Iterable[tuple[type, tuple]]:
    org = fact.organization_id
    yield OrgDaily, (org, day)
    if fact.campaign_id:
        yield CampaignDaily, (org, day, fact.campaign_id)
    yield NetworkDaily, (org, day, fact.network)
    yield MemberMonthly, (org, month_of(day), fact.membership_id)
    yield SegmentDaily, (org, day, fact.membership_id, fact.campaign_id or 0, fact.network)
    yield ContentDaily, (org, day, fact.content_id)


KEY_COLUMNS: dict[type, tuple[str, ...]] = {
    OrgDaily: ("organization_id", "day"),
    CampaignDaily: ("organization_id", "day", "campaign_id"),
    NetworkDaily: ("organization_id", "day", "network"),
    MemberMonthly: ("organization_id", "month", "membership_id"),
    SegmentDaily: ("organization_id", "day", "membership_id", "campaign_key", "network"),
    ContentDaily: ("organization_id", "day", "content_id"),
}


class Deltas:
    """What one batch adds, per rollup row."""

    def __init__(self) -> None:
        self._rows: dict[type, dict[tuple, dict[str, int | float | Decimal]]] = defaultdict(dict)

    def add(self, fact: ShareFact, day: datetime.date, **metrics: int | float | Decimal) -> None:
        changes = {name: value for name, value in metrics.items() if value}
        if not changes:
            return
        for model, key in _keys(fact, day):
            row = self._rows[model].setdefault(key, {})
            for name, value in changes.items():
                row[name] = row.get(name, 0) + value

    def __bool__(self) -> bool:
        return any(self._rows.values())

    def as_dict(self) -> dict[type, dict[tuple, dict]]:
        return {model: dict(rows) for model, rows in self._rows.items()}

    def flush(self) -> None:
        for model, rows in self._rows.items():
            upsert_add(model, rows)
        self._rows.clear()


def upsert_add(model: type, rows: dict[tuple, dict]) -> None:
    """Add each row's metrics to the stored row with that key, creating it when missing."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    keys = KEY_COLUMNS[model]
    columns = [*keys, *METRICS]
    adapt_date = connection.ops.adapt_datefield_value
    adapt_decimal = connection.ops.adapt_decimalfield_value
    updates = ", ".join(f"{name} = {table}.{name} + EXCLUDED.{name}" for name in METRICS)
    items = sorted(
        rows.items(), key=lambda item: tuple(str(part) for part in item[0])
    )  # one lock order
    with connection.cursor() as cursor:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
            params: list = []
            for key, metrics in chunk:
                params += [
                    adapt_date(part) if isinstance(part, datetime.date) else part for part in key
                ]
                for name in METRICS:
                    value = metrics.get(name, 0)
                    if name == "conversion_value":
                        value = adapt_decimal(Decimal(value), 16, 2)
                    params.append(value)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row_sql] * len(chunk))} "  # noqa: S608 (names are constants; values are parameters)
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                params,
            )
