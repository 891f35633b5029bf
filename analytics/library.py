"""Each library item's performance, for the curators' library list (declared on
AnalyticsConfig.item_figures): the same (org, day, content) rollup and the same window
the content performance page reads by default, so both pages show the same numbers."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence

from django.db.models import Sum
from django.utils import timezone

from advocacy.tenancy.models import Organization

from .forms import DEFAULT_DAYS
from .models import ContentDaily

FIGURES = ("shares", "clicks", "impressions")


def content_figures(*, organization: Organization, ids: Sequence[int]) -> dict[int, dict]:
    """Shares, human clicks and impressions of these items over the last DEFAULT_DAYS
    days of the organization's calendar: one query for the whole page."""
    end = timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.timezone))
    start = end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    rows = (
        ContentDaily.objects.for_org(organization)
        .filter(content_id__in=list(ids), day__gte=start, day__lte=end)
        .values("content_id")
        .annotate(**{name: Sum(name) for name in FIGURES})
    )
    return {row["content_id"]: {name: row[name] or 0 for name in FIGURES} for row in rows}
