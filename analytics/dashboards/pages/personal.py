"""My results: the overview for one advocate, and their months."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Organization
from analytics.dashboards.figures import SUMS, Filters, clean
from analytics.dashboards.pages.overview import overview
from analytics.dashboards.tables import Column, Page, metric_table
from analytics.models import MemberMonthly


def personal(organization: Organization, filters: Filters) -> Page:
    page = overview(organization, filters)
    # Participation is about a group; for one person it says nothing new.
    page.cards = [
        card
        for card in page.cards
        if card.kind != "percent" or card.label != _("Participation rate")
    ]
    months = MemberMonthly.objects.for_org(organization).filter(
        membership_id__in=sorted(filters.member_ids or [])
    )
    page.tables.append(
        metric_table(
            "months",
            _("Month by month"),
            leading=[Column("month", _("Month"), "text")],
            rows=[
                ([row["month"].strftime("%Y-%m")], clean(row))
                for row in months.values("month").annotate(**SUMS).order_by("month")
            ],
            measures=["shares", "clicks", "impressions", "engagements", "conversions"],
            chart={"type": "bar", "x": "month", "series": ["clicks"]},
        )
    )
    return page
