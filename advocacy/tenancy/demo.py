"""Demo data for people and access: a few pending invitations per organization.

The people themselves come from `seed_demo`. Invitation links are not printed
(only their hash is stored); "Resend" on the Invitations page mails a fresh one
to the console.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .invitations import _new_token
from .models import Invitation, Role, Team
from .services import onboarding_step_complete

PENDING = {
    "en": [
        ("nina.new@{slug}.example", Role.EMPLOYEE, "Sales"),
        ("omar.open@{slug}.example", Role.CURATOR, "Marketing"),
    ],
    "id": [
        ("nadia.baru@{slug}.example", Role.EMPLOYEE, "Penjualan"),
        ("oki.ops@{slug}.example", Role.MANAGER, "Teknologi"),
    ],
}


def seed(*, organization, people) -> None:
    onboarding_step_complete(
        organization=organization, step="invite_people"
    )  # the demo has done this
    admin = people.get("admin")
    for email, role, team_name in PENDING.get(organization.default_language, PENDING["en"]):
        email = email.format(slug=organization.slug)
        if Invitation.objects.for_org(organization).filter(email=email).exists():
            continue
        _raw, token_hash = _new_token(organization)
        Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            token_hash=token_hash,
            team=Team.objects.for_org(organization).filter(name=team_name).first(),
            invited_by=admin.user if admin else None,
            expires_at=timezone.now() + timedelta(days=10),
            last_sent_at=timezone.now(),
            send_count=1,
        )
