"""The admins' home figure analytics knows: human clicks of the last seven days, from the
(org, day) rollup the dashboards read."""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.utils import timezone

from advocacy.tenancy.models import Organization

from .models import OrgDaily


def clicks_this_week(*, organization: Organization) -> int:
    since = timezone.localdate() - datetime.timedelta(days=6)
    total = OrgDaily.objects.for_org(organization).filter(day__gte=since).aggregate(n=Sum("clicks"))
    return int(total["n"] or 0)
