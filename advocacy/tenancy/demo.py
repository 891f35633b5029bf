"""Demo data for people and access: a few pending invitations per organization, and
colleagues who never shared, some of whom left during the past year, so the
long-term page compares advocates' retention with everyone else's on real dates.

The people themselves come from `seed_demo`. Invitation links are not printed
(only their hash is stored); "Resend" on the Invitations page mails a fresh one
to the console.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .invitations import _new_token
from .models import Invitation, Membership, Role, Team
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

# Colleagues who never shared through Chorus: (name, hired this many days ago, left this
# many days ago or None). Three of them left within the past year.
QUIET = [
    ("Lee Left", 900, 40),
    ("Maya Moved", 700, 150),
    ("Noor Notice", 500, 260),
    ("Olu Onsite", 800, None),
    ("Pat Part-time", 650, None),
    ("Quinn Quiet", 1000, None),
]


def _quiet_colleagues(organization) -> None:
    User = get_user_model()
    today = timezone.localdate()
    for index, (name, hired_ago, left_ago) in enumerate(QUIET):
        email = f"{name.split()[0].lower()}.{index}@{organization.slug}.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, name=name, preferred_language="en"
            )
        Membership.objects.get_or_create(
            organization=organization,
            user=user,
            defaults={
                "role": Role.EMPLOYEE,
                "hire_date": today - datetime.timedelta(days=hired_ago),
                "leave_date": today - datetime.timedelta(days=left_ago) if left_ago else None,
                "is_active": left_ago is None,
            },
        )


def seed(*, organization, people) -> None:
    _quiet_colleagues(organization)
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
