"""Demo connections in every state, so the Connections page, the notices and the health
screen show something true in a demo. Idempotent.

The tokens are placeholders: a demo connection shows its state, and one used to post is
refused by the sandbox and turns to "needs reconnecting", as a real dead token would."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from advocacy.tenancy.services import onboarding_step_complete

from .crypto import encrypt_token
from .models import Connection, ConnectionEvent
from .providers.base import REFRESH_EXPIRES_AT, TokenSet

DAY = timedelta(days=1)

# (person, network, handle, state, days until access ends for good or None, followers)
CONNECTIONS = [
    ("employee1", "linkedin", "employee1-li", "active", 52, 640),
    ("employee1", "x", "@employee1", "active", None, 310),
    ("employee2", "linkedin", "employee2-li", "expiring", 5, 1200),
    ("employee3", "x", "@employee3", "ending", 3, 95),
    ("employee3", "bluesky", "employee3.bsky.social", "active", 80, 150),
    ("employee4", "linkedin", "employee4-li", "expired", -2, 870),
    ("employee5", "mastodon", "@employee5@mastodon.example", "active", None, 220),
    ("manager", "linkedin", "manager-li", "active", 300, 2100),
    ("manager", "bluesky", "manager.bsky.social", "revoked", None, 400),
    ("curator", "x", "@curator", "disconnected", None, 180),
    ("admin", "facebook", "Company Page", "active", None, 5400),
]

MESSAGES = {
    "expired": "Access ended; connect the account again.",
    "revoked": "The account owner revoked Chorus's access on the network.",
}


def seed(*, organization, people) -> None:
    onboarding_step_complete(organization=organization, step="connect_network")
    now = timezone.now()
    for local, network, handle, state, days, followers in CONNECTIONS:
        member = people.get(local)
        if member is None:
            continue
        ends = now + days * DAY if days is not None else None
        refreshable = network in ("bluesky",) or (network == "linkedin" and days == 300)
        token = TokenSet(
            access_token=f"demo-{organization.slug}-{local}-{network}",
            refresh_token=f"demo-refresh-{local}" if refreshable else None,
            expires_at=ends if not refreshable else now + DAY,
            extra={REFRESH_EXPIRES_AT: int(ends.timestamp())} if refreshable and ends else {},
        )
        status = {
            "expiring": Connection.Status.EXPIRING,
            "expired": Connection.Status.REAUTH_REQUIRED,
            "revoked": Connection.Status.REAUTH_REQUIRED,
            "disconnected": Connection.Status.DISCONNECTED,
        }.get(state, Connection.Status.ACTIVE)
        connection, created = Connection.objects.get_or_create(
            organization=organization,
            membership=member,
            network=network,
            external_id=f"demo-{local}-{network}",
            defaults={
                "handle": handle,
                "display_name": member.user.name,
                "followers": followers,
                "token_ciphertext": "" if state == "disconnected" else encrypt_token(token),
                "expires_at": token.expires_at,
                "renewable_until": ends if state != "disconnected" else None,
                "status": status,
                "last_error": MESSAGES.get(state, ""),
                "connected_at": now - 30 * DAY,
                "expiry_warned_at": now - DAY if state == "expiring" else None,
            },
        )
        if not created:
            continue
        ConnectionEvent.objects.create(
            organization=organization,
            membership=member,
            connection=connection,
            network=network,
            kind=ConnectionEvent.Kind.CONNECTED,
            message=handle,
            created_at=now - 30 * DAY,
        )
        kind = {
            "expiring": ConnectionEvent.Kind.EXPIRING,
            "expired": ConnectionEvent.Kind.REAUTH_REQUIRED,
            "revoked": ConnectionEvent.Kind.REAUTH_REQUIRED,
            "disconnected": ConnectionEvent.Kind.DISCONNECTED,
        }.get(state)
        if kind:
            ConnectionEvent.objects.create(
                organization=organization,
                membership=member,
                connection=connection,
                network=network,
                kind=kind,
                message=MESSAGES.get(state, ""),
                created_at=now - DAY,
            )
