"""Anonymous platform benchmarks: percentiles of a few rates across organizations.

Computed daily in an audited system context from each contributing
organization's last 30 days of rollups. Only the percentiles and how many
organizations contributed are kept (no organization id), and dashboards show
them only when at least `PlatformBenchmark.MIN_ORGANIZATIONS` contributed, so no
figure can be read back to one organization. An organization contributes when
it allows it (on by default) and shared at least once in the window.
"""

from __future__ import annotations

import datetime
import statistics

from django.db.models import Count, Sum
from django.utils import timezone

from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Membership, Organization
from analytics.models import AnalyticsSettings, OrgDaily, PlatformBenchmark, SegmentDaily

WINDOW_DAYS = 30


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def platform_benchmarks_compute(*, today: datetime.date | None = None) -> int:
    """Store today's percentiles; returns how many organizations contributed."""
    today = today or timezone.now().date()
    start = today - datetime.timedelta(days=WINDOW_DAYS)
    with system_context("platform benchmarks"):
        opted_out = set(
            AnalyticsSettings.objects.filter(contribute_to_benchmarks=False).values_list(
                "organization_id", flat=True
            )
        )
        organizations = (
            set(Organization.objects.filter(is_active=True).values_list("id", flat=True))
            - opted_out
        )
        sums = {
            row["organization_id"]: row
            for row in OrgDaily.objects.filter(
                organization_id__in=organizations, day__gte=start, day__lt=today
            )
            .values("organization_id")
            .annotate(
                shares=Sum("shares"),
                clicks=Sum("clicks"),
                unique=Sum("unique_clicks"),
                impressions=Sum("impressions"),
                reactions=Sum("reactions"),
                comments=Sum("comments"),
                reposts=Sum("reposts"),
                conversions=Sum("conversions"),
            )
        }
        active = dict(
            SegmentDaily.objects.filter(
                organization_id__in=list(sums), day__gte=start, day__lt=today, shares__gt=0
            )
            .values("organization_id")
            .annotate(n=Count("membership_id", distinct=True))
            .values_list("organization_id", "n")
        )
        enrolled = dict(
            Membership.objects.filter(organization_id__in=list(sums), is_active=True)
            .values("organization_id")
            .annotate(n=Count("id"))
            .values_list("organization_id", "n")
        )
        values: dict[str, list[float]] = {
            "participation_rate": [],
            "clicks_per_share": [],
            "engagement_rate": [],
            "conversion_rate": [],
        }
        contributors = 0
        for organization_id, row in sums.items():
            if not row["shares"]:
                continue
            contributors += 1
            if enrolled.get(organization_id):
                values["participation_rate"].append(
                    active.get(organization_id, 0) / enrolled[organization_id]
                )
            values["clicks_per_share"].append(row["clicks"] / row["shares"])
            if row["impressions"]:
                engaged = row["reactions"] + row["comments"] + row["reposts"]
                values["engagement_rate"].append(engaged / row["impressions"])
            if row["unique"]:
                values["conversion_rate"].append(row["conversions"] / row["unique"])
        for metric, found in values.items():
            if not found:
                continue
            found.sort()
            PlatformBenchmark.objects.update_or_create(
                metric=metric,
                computed_on=today,
                defaults={
                    "organizations": len(found),
                    "p25": _percentile(found, 25),
                    "p50": _percentile(found, 50),
                    "p75": _percentile(found, 75),
                    "p90": _percentile(found, 90),
                },
            )
    return contributors
