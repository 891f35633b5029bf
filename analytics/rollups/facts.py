"""What a rollup counts: facts about a share, and the metrics each kind of fact adds.

A fact (a click, a share going out, a snapshot's difference, a comment, a
conversion) belongs to a share and a moment. The rollups attribute it through the
share (advocate, campaign, network, content item) and add its metrics to every
row that covers it (`rollups.writers.rollups_add`). These functions say what
each kind of fact adds; the live path and the rebuild both use them, so the two
cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

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
# A comment scoring at least this far from 0 is positive or negative (VADER's convention).
POLARITY_THRESHOLD = 0.05


@dataclass(frozen=True, slots=True)
class Fact:
    """Metrics to add for one share at one moment.

    `when` is a moment (counted on the organization's local day) or, when the caller
    already grouped by the organization's day (the rebuild), that day."""

    share_id: int
    when: datetime.datetime | datetime.date
    metrics: Mapping[str, int | Decimal]


def polarity(score: float) -> int:
    """1 positive, -1 negative, 0 neutral."""
    if score >= POLARITY_THRESHOLD:
        return 1
    if score <= -POLARITY_THRESHOLD:
        return -1
    return 0


def click_metrics(*, is_bot: bool, is_unique: bool, count: int = 1) -> dict[str, int]:
    if is_bot:
        return {"bot_clicks": count}
    return {"clicks": count, "unique_clicks": count if is_unique else 0}


def share_metrics(*, followers: int | None) -> dict[str, int]:
    return {"shares": 1, "potential_reach": followers or 0}


def comment_metrics(score: float) -> dict[str, int]:
    sign = polarity(score)
    return {
        "sentiment_sum": round(score * 1000),  # thousandths: any order of adding gives one total
        "sentiment_count": 1,
        "positive_comments": int(sign > 0),
        "negative_comments": int(sign < 0),
    }


def conversion_metrics(*, value: Decimal, currency: str, org_currency: str) -> dict:
    """Values in another currency are counted, not added: we do not convert money."""
    counted = value if currency in ("", org_currency) else Decimal("0")
    return {"conversions": 1, "conversion_value": counted}


def counted_after(counted: dict, values: dict[str, int | None]) -> tuple[dict, dict[str, int]]:
    """(new counted values, differences to add) for one snapshot. None keeps the last value."""
    new = dict(counted)
    differences: dict[str, int] = {}
    for name in SNAPSHOT_METRICS:
        value = values.get(name)
        if value is None:
            continue
        differences[SNAPSHOT_TO_ROLLUP[name]] = value - int(counted.get(name, 0))
        new[name] = value
    return new, differences
