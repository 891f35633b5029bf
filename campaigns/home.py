"""The admins' home figures campaigns knows (declared on CampaignsConfig.home_figures)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from advocacy.tenancy.models import Membership, Organization

from .models import Share

# Shares that went out or were handed over, this week (the last seven days).
_COUNTED = ~Q(status__in=[Share.Status.CANCELLED, Share.Status.FAILED])


def _this_week(organization: Organization):
    since = timezone.now() - datetime.timedelta(days=7)
    return Share.objects.for_org(organization).filter(_COUNTED, created_at__gte=since)


def shares_this_week(*, organization: Organization) -> int:
    return _this_week(organization).count()


def participation_this_week(*, organization: Organization) -> float | None:
    """The share (a rate) of active members who shared at least once in the last seven days."""
    members = Membership.objects.for_org(organization).filter(is_active=True).count()
    if not members:
        return None
    sharers = _this_week(organization).values("membership_id").distinct().count()
    return sharers / members
