"""The admins' home figure social knows: accounts about to stop working or already broken."""

from __future__ import annotations

from advocacy.tenancy.models import Organization

from .selectors import connection_health


def connections_needing_attention(*, organization: Organization) -> int:
    totals = connection_health(organization=organization).totals
    return totals.expiring + totals.broken
