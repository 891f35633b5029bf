"""Writes about organizations and memberships."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from .access import ensure_in_org
from .context import org_context
from .hierarchy import chain_reaches
from .membership_audit import membership_change_audit, organization_settings_audit
from .models import Membership, Organization, Role
from .navigation import onboarding_steps

# Slugs that would collide with our own URLs or read as official.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "accounts",
        "account",
        "o",
        "r",
        "static",
        "media",
        "healthz",
        "signup",
        "login",
        "logout",
        "www",
        "app",
        "help",
        "support",
        "chorus",
        "staff",
        "new",
        "settings",
        "i18n",
        "invitations",
        "sandbox",
        "docs",
        "status",
        "billing",
        "system",
    }
)


def organization_slug_validate(*, slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is reserved. Please choose another.")})
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This address is already taken.")})


@transaction.atomic
def organization_create(
    *, name: str, slug: str, owner, timezone: str = "UTC", default_language: str = "en"
) -> Organization:
    organization_slug_validate(slug=slug)
    organization = Organization.objects.create(
        name=name, slug=slug, timezone=timezone, default_language=default_language
    )
    with org_context(organization):
        Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


def membership_add(
    *, organization: Organization, user, role: str = Role.EMPLOYEE, **fields
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role, "is_active": True, **fields}
    )
    return membership


def onboarding_step_complete(*, organization: Organization, step: str) -> None:
    """Tick a checklist step; features call this when they are first used. The steps are
    those apps declare (`AppConfig.onboarding_steps`, see `navigation.OnboardingStep`)."""
    if step not in {s.key for s in onboarding_steps()}:
        raise ValueError(step)
    organization.refresh_from_db(fields=["onboarding"])
    if not organization.onboarding.get(step):
        organization.onboarding = {**organization.onboarding, step: True}
        organization.save(update_fields=["onboarding"])


def allowed_domains(*, organization: Organization) -> list[str]:
    return [
        d.strip().lower().lstrip("@")
        for d in organization.allowed_signin_domains.split(",")
        if d.strip()
    ]


def email_domain_allowed(*, organization: Organization, email: str) -> bool:
    """No list means any domain; otherwise the address's domain (or a subdomain of one) must be on it."""
    domains = allowed_domains(organization=organization)
    if not domains:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == allowed or domain.endswith("." + allowed) for allowed in domains)


ORGANIZATION_SETTINGS = (
    "name",
    "logo",
    "brand_color",
    "timezone",
    "default_language",
    "allowed_signin_domains",
    "sso_required",
    "currency",
)


def organization_update(*, organization: Organization, actor=None, **fields) -> Organization:
    unknown = set(fields) - set(ORGANIZATION_SETTINGS)
    if unknown:
        raise ValueError(f"not organization settings: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(organization, name) != value]
    old_logo = organization.logo.name if "logo" in changed else ""
    for name in changed:
        setattr(organization, name, fields[name])
    if changed:
        organization.full_clean(exclude=["slug"])
        organization.save(update_fields=changed)
        organization_settings_audit(organization=organization, actor=actor, changed=changed)
    if old_logo and old_logo != organization.logo.name:
        # The replaced or removed file goes once the change is stored.
        storage = organization.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return organization


MEMBERSHIP_FIELDS = (
    "role",
    "team",
    "manager",
    "job_title",
    "location",
    "hire_date",
    "leave_date",
    "is_active",
    "is_executive",
)


def _check_manager(
    *, organization: Organization, membership: Membership, manager: Membership | None
) -> None:
    if manager is None:
        return
    ensure_in_org(organization, manager)
    if chain_reaches(organization, manager, "manager", membership.pk):
        raise ValidationError(
            {"manager": _("This manager reports, directly or not, to this person.")}
        )


def _with_leave_date(organization: Organization, membership: Membership, fields: dict) -> dict:
    """Deactivating someone records when they left (today, in the organization's calendar)
    unless a leave date is given; reactivating clears a leave date already past, as an
    invitation or the directory import do. Retention figures read these dates; the audit
    trail keeps the earlier ones."""
    if "is_active" not in fields or fields["is_active"] == membership.is_active:
        return fields
    today = dj_timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.timezone))
    leave_date = fields.get("leave_date", membership.leave_date)
    if fields["is_active"] is False and leave_date is None:
        return {**fields, "leave_date": today}
    if fields["is_active"] is True and leave_date is not None and leave_date <= today:
        return {**fields, "leave_date": None}
    return fields


@transaction.atomic
def membership_update(
    *, organization: Organization, membership: Membership, actor: Membership, **fields
) -> Membership:
    """Change someone's place in the organization. Owners alone make or unmake owners,
    and the last owner stays one."""
    unknown = set(fields) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise ValueError(f"not membership fields: {sorted(unknown)}")
    ensure_in_org(organization, membership, actor)
    role = fields.get("role", membership.role)
    if (role == Role.OWNER) != (membership.role == Role.OWNER) and actor.role != Role.OWNER:
        raise ValidationError(
            {"role": _("Only an owner can make someone an owner or change an owner's role.")}
        )
    if (
        membership.role == Role.OWNER
        and actor.role != Role.OWNER
        and fields.get("is_active", membership.is_active) != membership.is_active
    ):
        raise ValidationError(
            {"is_active": _("Only an owner can deactivate or reactivate an owner.")}
        )
    losing_owner = membership.role == Role.OWNER and (
        role != Role.OWNER or fields.get("is_active") is False
    )
    if losing_owner:
        owners = (
            Membership.objects.for_org(organization)
            .select_for_update()
            .filter(role=Role.OWNER, is_active=True)
        )
        if owners.exclude(pk=membership.pk).count() == 0:
            field = "role" if role != Role.OWNER else "is_active"
            raise ValidationError(
                {field: _("An organization needs at least one owner: this is the last one.")}
            )
    team = fields.get("team", membership.team)
    ensure_in_org(organization, team)
    if "manager" in fields:
        _check_manager(organization=organization, membership=membership, manager=fields["manager"])
    fields = _with_leave_date(organization, membership, fields)
    changed = [name for name, value in fields.items() if getattr(membership, name) != value]
    before = {name: getattr(membership, name) for name in changed}
    for name in changed:
        setattr(membership, name, fields[name])
    if changed:
        membership.save(update_fields=changed)
        membership_change_audit(
            organization=organization, membership=membership, actor=actor, before=before
        )
    return membership
