"""The campaign report: each campaign's results, and how far it got towards its goal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Organization
from analytics.dashboards.figures import SUMS, Filters, clean, ratio, segment_rows
from analytics.dashboards.tables import Column, Measure, Page, metric_table
from analytics.models import CampaignDaily
from campaigns.models import Campaign

GOAL = {"goal": Measure(_("Goal reached (clicks)"), "percent", lambda row: row["goal"])}


def campaign_report(organization: Organization, filters: Filters) -> Page:
    if filters.member_ids is None and not filters.network:
        source = CampaignDaily.objects.for_org(organization).filter(
            day__gte=filters.start, day__lte=filters.end
        )
        if filters.campaign:
            source = source.filter(campaign=filters.campaign)
        grouped = {r["campaign"]: clean(r) for r in source.values("campaign").annotate(**SUMS)}
    else:
        source = segment_rows(organization, filters).exclude(campaign_key=0)
        grouped = {
            r["campaign_key"]: clean(r) for r in source.values("campaign_key").annotate(**SUMS)
        }
    campaigns = Campaign.objects.for_org(organization).filter(pk__in=list(grouped)).order_by("name")
    rows = []
    for campaign in campaigns:
        row = grouped[campaign.pk]
        goal = ratio(row["clicks"], campaign.goal_clicks) if campaign.goal_clicks else None
        rows.append(([campaign.name], {**row, "goal": goal}))
    table = metric_table(
        "campaigns",
        _("Campaigns"),
        leading=[Column("campaign", _("Campaign"), "text")],
        rows=rows,
        measures=[
            "shares",
            "clicks",
            "unique_clicks",
            "impressions",
            "engagements",
            "conversions",
            "conversion_value",
            "goal",
            "sentiment",
        ],
        extra=GOAL,
        chart={"type": "bar", "x": "campaign", "series": ["clicks", "conversions"]},
    )
    return Page([], [table])
