"""Reads of the social app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone

from advocacy.tenancy.models import Membership, Organization
from social.models import Connection, ConnectionEvent, Network, Publication


def connection_list(*, organization: Organization, membership: Membership) -> QuerySet[Connection]:
    """An employee's accounts, disconnected ones left out (usable or needing reconnecting)."""
    return (
        Connection.objects.for_org(organization)
        .filter(membership=membership)
        .exclude(status=Connection.Status.DISCONNECTED)
        .select_related("instance_app")  # a Mastodon reconnect names its server
        .order_by("network", "handle")
    )


def connections_needing_attention(
    *, organization: Organization, membership: Membership
) -> list[Connection]:
    """The member's connections whose access ends within the warning window and that
    Chorus cannot renew (`attention` = "ending"), or that need reconnecting ("ended")."""
    now = timezone.now()
    rows = (
        connection_list(organization=organization, membership=membership)
        .annotate(health=_health_state(now))
        .filter(health__in=["expiring", "broken"])
    )
    result = []
    for row in rows:
        row.attention = "ended" if row.health == "broken" else "ending"
        result.append(row)
    return result


def connection_get(*, organization: Organization, pk: int) -> Connection | None:
    return Connection.objects.for_org(organization).filter(pk=pk).first()


def expiry_warning_window() -> timedelta:
    """How long before access ends for good the employee is told (SOCIAL_EXPIRY_WARN_DAYS)."""
    return timedelta(days=settings.SOCIAL_EXPIRY_WARN_DAYS)


def _health_state(now: datetime) -> Case:
    """The state an admin should see: a connection still marked active whose access ends
    within the warning window counts as expiring (and as broken once it has ended), even
    before the warning job has run."""
    return Case(
        When(status=Connection.Status.REAUTH_REQUIRED, then=Value("broken")),
        When(status=Connection.Status.EXPIRING, then=Value("expiring")),
        When(renewable_until__lte=now, then=Value("broken")),
        When(renewable_until__lte=now + expiry_warning_window(), then=Value("expiring")),
        default=Value("connected"),
        output_field=CharField(),
    )


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
    live = (
        Connection.objects.for_org(organization)
        .exclude(status=Connection.Status.DISCONNECTED)
        .annotate(state=_health_state(timezone.now()))
    )
    totals = HealthRow(label="")
    networks = {key: HealthRow(label=str(label)) for key, label in Network.choices}
    for row in live.values("network", "state").annotate(n=Count("id")):
        state = row["state"]
        setattr(
            networks[row["network"]], state, getattr(networks[row["network"]], state) + row["n"]
        )
        setattr(totals, state, getattr(totals, state) + row["n"])
    teams: dict[str, HealthRow] = {}
    for row in live.values("membership__team__name", "state").annotate(n=Count("id")):
        state = row["state"]
        name = row["membership__team__name"] or no_team_label
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
        .filter(
            Q(status__in=[Connection.Status.REAUTH_REQUIRED, Connection.Status.EXPIRING])
            | Q(
                status=Connection.Status.ACTIVE,
                renewable_until__lte=timezone.now() + expiry_warning_window(),
            )
        )
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
