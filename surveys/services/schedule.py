"""Calendar arithmetic shared by rounds and 1:1s."""

from __future__ import annotations

import calendar
import datetime
import zoneinfo

from advocacy.tenancy.models import Organization

from ..models import Recurrence


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_occurrence(day: datetime.date, recurrence: str) -> datetime.date | None:
    if recurrence == Recurrence.WEEKLY:
        return day + datetime.timedelta(days=7)
    if recurrence == Recurrence.BIWEEKLY:
        return day + datetime.timedelta(days=14)
    if recurrence == Recurrence.MONTHLY:
        return add_months(day, 1)
    if recurrence == Recurrence.QUARTERLY:
        return add_months(day, 3)
    return None


def local_midnight(organization: Organization, day: datetime.date) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(organization.timezone or "UTC")
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def local_today(organization: Organization, now: datetime.datetime) -> datetime.date:
    return now.astimezone(zoneinfo.ZoneInfo(organization.timezone or "UTC")).date()
