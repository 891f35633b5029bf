"""Reads of the social app."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from advocacy.tenancy.models import Membership, Organization
from social.models import Connection, ConnectionEvent, Network, Publication


def connection_list(*, organization: Organization, membership: Membership) -> QuerySet[Connection]:
    """An employee's accounts, disconnected ones left out (usable or needing reconnecting)."""
    return (
        Connection.objects.for_org(organization)
        .filter(membership=membership)
        .exclude(status=Connection.Status.DISCONNECTED)
        .order_by("network", "handle")
    )


def connection_get(*, organization: Organization, pk: int) -> Connection | None:
    return Connection.objects.for_org(organization).filter(pk=pk).first()


HEALTH_STATES = {
    Connection.Status.ACTIVE: "connected",
    Connection.Status.EXPIRING: "expiring",
    Connection.Status.REAUTH_REQUIRED: "broken",
}


@dataclass
class HealthRow:
    label: str
    connected: int = 0
    expiring: int = 0
    broken: int = 0

    @property
    def total(self) -> int:
        return self.connected + self.expiring + self.broken


@dataclass
class ConnectionHealth:
    totals: HealthRow
    by_network: list[HealthRow] = field(default_factory=list)
    by_team: list[HealthRow] = field(default_factory=list)


def connection_health(*, organization: Organization, no_team_label: str = "") -> ConnectionHealth:
    """Connected / expiring / broken accounts per network and per team (two queries)."""
    live = Connection.objects.for_org(organization).exclude(status=Connection.Status.DISCONNECTED)
    totals = HealthRow(label="")
    networks = {key: HealthRow(label=str(label)) for key, label in Network.choices}
    for row in live.values("network", "status").annotate(n=Count("id")):
        state = HEALTH_STATES.get(row["status"])
        if state:
            setattr(
                networks[row["network"]], state, getattr(networks[row["network"]], state) + row["n"]
            )
            setattr(totals, state, getattr(totals, state) + row["n"])
    teams: dict[str, HealthRow] = {}
    for row in live.values("membership__team__name", "status").annotate(n=Count("id")):
        state = HEALTH_STATES.get(row["status"])
        name = row["membership__team__name"] or no_team_label
        if state:
            team = teams.setdefault(name, HealthRow(label=name))
            setattr(team, state, getattr(team, state) + row["n"])
    return ConnectionHealth(
        totals=totals,
        by_network=[r for r in networks.values() if r.total],
        by_team=sorted(teams.values(), key=lambda r: (-r.broken, r.label)),
    )


def broken_connection_list(*, organization: Organization) -> QuerySet[Connection]:
    return (
        Connection.objects.for_org(organization)
        .filter(status__in=[Connection.Status.REAUTH_REQUIRED, Connection.Status.EXPIRING])
        .select_related("membership__user", "membership__team")
        .order_by("-updated_at")
    )


def connection_error_list(
    *, organization: Organization, limit: int = 20
) -> QuerySet[ConnectionEvent]:
    """The latest errors, failed connects (no connection yet) included."""
    return (
        ConnectionEvent.objects.for_org(organization)
        .filter(kind__in=[ConnectionEvent.Kind.ERROR, ConnectionEvent.Kind.REAUTH_REQUIRED])
        .select_related("membership__user", "connection")[:limit]
    )


def publications_to_check(*, organization: Organization) -> QuerySet[Publication]:
    """Posts whose outcome a person must confirm (the network cannot be asked)."""
    return (
        Publication.objects.for_org(organization)
        .filter(status=Publication.Status.UNKNOWN, needs_manual_check=True)
        .select_related("connection__membership__user")
        .order_by("-created_at")
    )


def publication_ids_to_reconcile(*, organization: Organization, limit: int = 200) -> list[int]:
    return list(
        Publication.objects.for_org(organization)
        .filter(status=Publication.Status.UNKNOWN, needs_manual_check=False)
        .values_list("pk", flat=True)[:limit]
    )
