"""Calendar periods in the organization's own time zone (a week starts on Monday)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERIODS = {
    "week": _("This week"),
    "month": _("This month"),
    "quarter": _("This quarter"),
    "all": _("All time"),
}


def organization_tz(organization) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(organization.timezone or "UTC")


def local_today(organization) -> datetime.date:
    return timezone.localtime(timezone.now(), organization_tz(organization)).date()


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_dates(
    period: str, today: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """[start, end) of the period containing `today`; (None, None) for all time."""
    if period == "week":
        start = today - datetime.timedelta(days=today.weekday())
        return start, start + datetime.timedelta(days=7)
    if period == "month":
        start = month_start(today)
        return start, add_months(start, 1)
    if period == "quarter":
        start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return start, add_months(start, 3)
    if period == "year":
        start = datetime.date(today.year, 1, 1)
        return start, datetime.date(today.year + 1, 1, 1)
    return None, None


def day_start(organization, day: datetime.date) -> datetime.datetime:
    """The aware moment a local calendar day starts."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=organization_tz(organization))


def moment_range(organization, start: datetime.date | None, end: datetime.date | None):
    return (
        day_start(organization, start) if start else None,
        day_start(organization, end) if end else None,
    )
