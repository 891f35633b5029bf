"""Writes about organizations and memberships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .context import org_context
from .models import Membership, Organization, Role

# Slugs that would collide with our own URLs or read as official.
RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "accounts", "account", "o", "r", "static", "media", "healthz", "signup",
        "login", "logout", "www", "app", "help", "support", "chorus", "staff", "new", "settings",
        "i18n", "invitations", "sandbox", "docs", "status", "billing", "system",
    }
)


def organization_slug_validate(*, slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is reserved. Please choose another.")})
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This address is already taken.")})


@transaction.atomic
def organization_create(*, name: str, slug: str, owner, timezone: str = "UTC", default_language: str = "en") -> Organization:
    organization_slug_validate(slug=slug)
    organization = Organization.objects.create(
        name=name, slug=slug, timezone=timezone, default_language=default_language
    )
    with org_context(organization):
        Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


def membership_add(*, organization: Organization, user, role: str = Role.EMPLOYEE, **fields) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role, "is_active": True, **fields}
    )
    return membership


ONBOARDING_STEPS = ("invite_people", "add_content", "connect_network", "launch_campaign")


def onboarding_step_complete(*, organization: Organization, step: str) -> None:
    """Tick a checklist step; features call this when they are first used."""
    if step not in ONBOARDING_STEPS:
        raise ValueError(step)
    organization.refresh_from_db(fields=["onboarding"])
    if not organization.onboarding.get(step):
        organization.onboarding = {**organization.onboarding, step: True}
        organization.save(update_fields=["onboarding"])
