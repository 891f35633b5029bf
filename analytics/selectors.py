"""Reads of analytics that are not dashboards (see `dashboards.py` for those)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import QuerySet
from django.utils import timezone

from advocacy.tenancy.models import Organization
from analytics.models import (
    AnalyticsSettings,
    ConversionKey,
    PollFailure,
    ReadUsage,
    SettingsChange,
    WebhookDelivery,
)

# Earned media value defaults (USD, 2024 industry averages; see analytics/README.md).
DEFAULT_CPM = {
    "linkedin": "33.80",
    "x": "6.46",
    "facebook": "8.60",
    "mastodon": "5.00",
    "bluesky": "5.00",
}


def analytics_settings_get(*, organization: Organization) -> AnalyticsSettings:
    found = AnalyticsSettings.objects.for_org(organization).first()
    if found is None:
        found, _created = AnalyticsSettings.objects.get_or_create(
            organization=organization, defaults={"cpm_by_network": dict(DEFAULT_CPM)}
        )
    return found


def settings_change_list(
    *, organization: Organization, limit: int = 20
) -> QuerySet[SettingsChange]:
    return SettingsChange.objects.for_org(organization).select_related("changed_by__user")[:limit]


def conversion_key_list(*, organization: Organization) -> QuerySet[ConversionKey]:
    return ConversionKey.objects.for_org(organization).filter(revoked_at__isnull=True)


def poll_failure_list(*, organization: Organization) -> QuerySet[PollFailure]:
    return PollFailure.objects.for_org(organization).filter(resolved_at__isnull=True)


def webhook_failure_list(
    *, organization: Organization, limit: int = 20
) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.for_org(organization).filter(
        status=WebhookDelivery.Status.FAILED
    )[:limit]


def read_usage(*, organization: Organization, now: datetime.datetime | None = None) -> list[dict]:
    """This month's reads per network against the budget (None: no budget)."""
    now = now or timezone.now()
    month = now.astimezone(zoneinfo.ZoneInfo(organization.timezone)).date().replace(day=1)
    used = dict(
        ReadUsage.objects.for_org(organization).filter(month=month).values_list("network", "reads")
    )
    budgets = analytics_settings_get(organization=organization).read_budgets or {}
    from social.models import Network

    rows = []
    for network, label in Network.choices:
        budget = budgets.get(network)
        reads = used.get(network, 0)
        rows.append(
            {
                "network": network,
                "label": label,
                "reads": reads,
                "budget": budget,
                "percent": min(100, round(100 * reads / budget)) if budget else None,
            }
        )
    return rows
