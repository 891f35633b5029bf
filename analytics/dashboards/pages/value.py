"""The value of the program: earned media value by network, program cost and ROI."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Organization
from analytics.dashboards.figures import (
    NETWORK_LABELS,
    Filters,
    engagements,
    network_rows,
    ratio,
    totals,
)
from analytics.dashboards.tables import Card, Column, Measure, Page, metric_table
from analytics.selectors import DEFAULT_CPM, analytics_settings_get
from recognition.selectors import rewards_cost

DAYS_PER_MONTH = Decimal("30.4375")
CENT = Decimal("0.01")


def _money(name: str, label: str) -> Measure:
    return Measure(label, "money", lambda row: row[name])


VALUE_MEASURES = {
    "cpm": _money("cpm", _("CPM")),
    "impressions_value": _money("impressions_value", _("Impressions value")),
    "clicks_value": _money("clicks_value", _("Clicks value")),
    "engagement_value": _money("engagement_value", _("Engagements value")),
    "total": _money("total", _("Earned media value")),
}


def program_cost(organization: Organization, filters: Filters) -> dict:
    analytics_settings = analytics_settings_get(organization=organization)
    rewards = rewards_cost(
        organization=organization, start=filters.start, end=filters.end + datetime.timedelta(days=1)
    )
    fixed = (analytics_settings.monthly_program_cost * filters.days / DAYS_PER_MONTH).quantize(
        Decimal("0.01")
    )
    return {"rewards": rewards, "fixed": fixed, "total": rewards + fixed}


def value(organization: Organization, filters: Filters) -> Page:
    analytics_settings = analytics_settings_get(organization=organization)
    cpm = {**DEFAULT_CPM, **(analytics_settings.cpm_by_network or {})}
    cpc, vpe = analytics_settings.cost_per_click, analytics_settings.value_per_engagement
    rows, emv = [], Decimal("0")
    for row in network_rows(organization, filters):
        rate = Decimal(str(cpm.get(row["network"], "0")))
        valued = {
            **row,
            "cpm": rate,
            "impressions_value": (rate * row["impressions"] / 1000).quantize(CENT),
            "clicks_value": (cpc * row["clicks"]).quantize(CENT),
            "engagement_value": (vpe * engagements(row)).quantize(CENT),
        }
        valued["total"] = (
            valued["impressions_value"] + valued["clicks_value"] + valued["engagement_value"]
        )
        emv += valued["total"]
        rows.append(([NETWORK_LABELS.get(row["network"], row["network"])], valued))
    cost = program_cost(organization, filters)
    conversions_value = totals(organization, filters)["conversion_value"]
    roi = ratio(emv + conversions_value - cost["total"], cost["total"])
    cards = [
        Card(_("Earned media value"), emv, "money"),
        Card(_("Conversion value"), conversions_value, "money"),
        Card(
            _("Program cost"),
            cost["total"],
            "money",
            _("rewards %(r)s + fixed %(f)s") % {"r": cost["rewards"], "f": cost["fixed"]},
        ),
        Card(_("Cost savings"), emv, "money", _("what the same results would cost as paid media")),
        Card(_("Return on investment"), roi, "percent", _("(value − cost) ÷ cost")),
    ]
    table = metric_table(
        "value",
        _("Earned media value by network"),
        leading=[Column("network", _("Network"), "text")],
        rows=rows,
        measures=[
            "impressions",
            "cpm",
            "impressions_value",
            "clicks",
            "clicks_value",
            "engagements",
            "engagement_value",
            "total",
        ],
        extra=VALUE_MEASURES,
        chart={"type": "bar", "x": "network", "series": ["total"]},
        note=_(
            "EMV = CPM × impressions ÷ 1,000 + cost per click × clicks + value per engagement × engagements"
        ),
    )
    return Page(
        cards, [table], {"settings": analytics_settings, "cost": cost, "emv": emv, "roi": roi}
    )
