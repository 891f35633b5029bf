"""The program overview: headline cards, activity per day, networks and sentiment."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Organization
from analytics.dashboards.figures import (
    NETWORK_LABELS,
    SUMS,
    Filters,
    clean,
    daily_source,
    headline,
    network_rows,
    sentiment,
)
from analytics.dashboards.formatting import format_metric
from analytics.dashboards.tables import Card, Column, Measure, Page, Table, metric_table


def _daily_sums(organization: Organization, filters: Filters) -> dict[datetime.date, dict]:
    """Every metric summed per day with activity (one query for both daily tables)."""
    return {
        row["day"]: clean(row)
        for row in daily_source(organization, filters)
        .values("day")
        .annotate(**SUMS)
        .order_by("day")
    }


def _daily_table(by_day: dict[datetime.date, dict], filters: Filters) -> Table:
    days = [filters.start + datetime.timedelta(days=offset) for offset in range(filters.days)]
    return metric_table(
        "activity",
        _("Activity per day"),
        leading=[Column("day", _("Day"), "date")],
        rows=[([day], by_day.get(day) or clean({})) for day in days],
        measures=["shares", "clicks", "unique_clicks", "bot_clicks", "conversions"],
        chart={
            "type": "line",
            "x": "day",
            "series": ["shares", "clicks", "bot_clicks", "conversions"],
        },
    )


SENTIMENT_MEASURES = {
    "score": Measure(_("Average score (−1 to 1)"), "float", sentiment),
    "comments": Measure(_("Comments scored"), "int", lambda row: row["sentiment_count"]),
    "positive": Measure(_("Positive"), "int", lambda row: row["positive_comments"]),
    "neutral": Measure(
        _("Neutral"),
        "int",
        lambda row: row["sentiment_count"] - row["positive_comments"] - row["negative_comments"],
    ),
    "negative": Measure(_("Negative"), "int", lambda row: row["negative_comments"]),
}


def _sentiment_table(by_day: dict[datetime.date, dict]) -> Table:
    return metric_table(
        "sentiment",
        _("Sentiment of comments"),
        leading=[Column("day", _("Day"), "date")],
        rows=[([day], sums) for day, sums in by_day.items() if sums["sentiment_count"]],
        measures=list(SENTIMENT_MEASURES),
        extra=SENTIMENT_MEASURES,
        chart={"type": "line", "x": "day", "series": ["score"]},
    )


VERIFIED_IMPRESSIONS = {
    "impressions": Measure(_("Impressions (verified)"), "int", lambda row: row["impressions"])
}


def _network_table(organization: Organization, filters: Filters) -> Table:
    return metric_table(
        "networks",
        _("By network"),
        leading=[Column("network", _("Network"), "text")],
        rows=[
            ([NETWORK_LABELS.get(row["network"], row["network"])], row)
            for row in network_rows(organization, filters)
        ],
        measures=[
            "shares",
            "impressions",
            "engagements",
            "engagement_rate",
            "clicks",
            "conversions",
            "sentiment",
        ],
        extra=VERIFIED_IMPRESSIONS,
        chart={"type": "bar", "x": "network", "series": ["shares", "clicks"]},
    )


def overview(organization: Organization, filters: Filters) -> Page:
    h = headline(organization, filters)
    cards = [
        Card(_("Shares"), h["shares"]),
        Card(
            _("Active advocates"),
            h["active_advocates"],
            note=_("of %(n)s enrolled") % {"n": h["enrolled"]},
        ),
        Card(
            _("Participation rate"),
            h["participation_rate"],
            "percent",
            _("shared at least once ÷ enrolled"),
        ),
        Card(_("Potential reach"), h["potential_reach"], note=_("Estimate: followers when shared")),
        Card(_("Impressions"), h["impressions"], note=_("Verified: reported by the networks")),
        Card(_("Engagements"), h["engagements"], note=_("reactions, comments and reposts")),
        Card(
            _("Engagement rate"),
            h["engagement_rate"],
            "percent",
            _("÷ %(n)s impressions") % {"n": format_metric(h["impressions"])},
        ),
        Card(
            _("Human clicks"),
            h["clicks"],
            note=_("%(n)s bot clicks left out") % {"n": format_metric(h["bot_clicks"])},
        ),
        Card(_("Unique clicks"), h["unique_clicks"]),
        Card(_("Clicks per share"), h["clicks_per_share"], "float"),
        Card(
            _("Conversions"),
            h["conversions"],
            note=_("value %(v)s") % {"v": format_metric(h["conversion_value"], "money")},
        ),
        Card(
            _("Conversion rate"),
            h["conversion_rate"],
            "percent",
            _("÷ %(n)s unique clicks") % {"n": format_metric(h["unique_clicks"])},
        ),
        Card(
            _("Sentiment"),
            h["sentiment"],
            "float",
            _("%(n)s comments, −1 to 1") % {"n": format_metric(h["sentiment_count"])},
        ),
    ]
    by_day = _daily_sums(organization, filters)
    return Page(
        cards,
        [
            _daily_table(by_day, filters),
            _network_table(organization, filters),
            _sentiment_table(by_day),
        ],
        {"headline": h},
    )
