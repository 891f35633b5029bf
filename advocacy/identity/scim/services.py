"""Writes of SCIM provisioning: people and teams, through the tenancy services.

The actor of every change is the token (`ScimActor`), so the audit trail says
"SCIM token <name>". A SCIM client acts as an HR admin: it cannot make,
unmake, deactivate or reactivate an owner (tenancy's rules).

What SCIM never does: change a person's account (their name, e-mail,
password) once it exists, because the same person may belong to other
organizations. The identity provider's view of them is kept per
organization in `ScimUser.attributes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from scim2_models import (
    EnterpriseUser,
    InvalidValueException,
    NotFoundException,
    UniquenessException,
)

from advocacy.audit.services import audit_record
from advocacy.tenancy.models import Membership, Organization, Role, Team
from advocacy.tenancy.services import email_domain_allowed, membership_add, membership_update
from advocacy.tenancy.teams import team_create, team_delete, team_update

from .models import ScimGroup, ScimUser
from .resources import stored_attributes

JOB_TITLE_MAX = Membership._meta.get_field("job_title").max_length
TEAM_NAME_MAX = Team._meta.get_field("name").max_length


@dataclass(frozen=True)
class ScimActor:
    """Who acts in a SCIM request, as the audit trail and the tenancy services see it."""

    organization_id: int
    name: str
    pk: None = None
    role: str = Role.ADMIN

    def __str__(self) -> str:
        return f"SCIM token {self.name}"


def _invalid(message: str) -> InvalidValueException:
    return InvalidValueException(detail=message)


def _messages(error: ValidationError) -> str:
    return "; ".join(str(m) for m in error.messages)


def _email_of(resource: Any) -> str:
    """userName when it is an e-mail address (Okta's default), else the primary or
    first e-mail (Entra sends its user principal name as userName)."""
    candidates = [resource.user_name or ""]
    emails = resource.emails or []
    candidates += [e.value for e in emails if e.primary and e.value]
    candidates += [e.value for e in emails if e.value]
    for candidate in candidates:
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        return candidate.strip().lower()
    raise _invalid("A user needs an e-mail address: userName or one of emails.")


def _display_name(resource: Any) -> str:
    if resource.display_name:
        return resource.display_name
    name = resource.name
    if name is None:
        return ""
    if name.formatted:
        return name.formatted
    return " ".join(p for p in (name.given_name, name.family_name) if p)


def _membership_in_org(organization: Organization, value: str | None) -> Membership:
    if not value or not str(value).isdigit():
        raise _invalid(f"No user with id {value!r} in this organization.")
    membership = Membership.objects.for_org(organization).filter(pk=int(value)).first()
    if membership is None:
        raise _invalid(f"No user with id {value!r} in this organization.")
    return membership


def _user_name_taken(organization: Organization, user_name: str, exclude: int | None) -> bool:
    links = ScimUser.objects.for_org(organization).filter(user_name__iexact=user_name)
    if exclude is not None:
        links = links.exclude(membership_id=exclude)
    return links.exists()


def _wanted_membership_fields(organization: Organization, resource: Any, membership) -> dict:
    title = resource.title or ""
    if len(title) > JOB_TITLE_MAX:
        raise _invalid(f"title is longer than {JOB_TITLE_MAX} characters.")
    fields: dict[str, Any] = {"job_title": title}
    if resource.active is not None:
        fields["is_active"] = bool(resource.active)
    enterprise = resource[EnterpriseUser]
    manager_value = enterprise.manager.value if enterprise and enterprise.manager else None
    manager = _membership_in_org(organization, manager_value) if manager_value else None
    if manager is not None and membership is not None and manager.pk == membership.pk:
        raise _invalid("A person cannot be their own manager.")
    fields["manager"] = manager
    return fields


def _apply(organization: Organization, actor: ScimActor, membership, fields: dict) -> None:
    changed = {k: v for k, v in fields.items() if getattr(membership, k) != v}
    if not changed:
        return
    try:
        membership_update(organization=organization, membership=membership, actor=actor, **changed)
    except ValidationError as error:
        raise _invalid(_messages(error)) from error


@transaction.atomic
def scim_user_create(*, organization: Organization, actor: ScimActor, resource: Any) -> Membership:
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise _invalid("userName is required.")
    email = _email_of(resource)
    if not email_domain_allowed(organization=organization, email=email):
        raise _invalid(f"{email} is not in this organization's allowed sign-in domains.")
    if _user_name_taken(organization, user_name, exclude=None):
        raise UniquenessException(detail=f"userName {user_name!r} is already provisioned.")
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    membership = None
    if user is not None:
        membership = Membership.objects.for_org(organization).filter(user=user).first()
    if membership is not None:
        linked = ScimUser.objects.for_org(organization).filter(membership=membership).exists()
        if membership.is_active or linked:
            raise UniquenessException(detail=f"{email} is already a member.")
    fields = _wanted_membership_fields(organization, resource, membership)
    created = membership is None
    if user is None:
        user = User.objects.create_user(email=email, name=_display_name(resource)[:150])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if membership is None:
        membership = membership_add(organization=organization, user=user, is_active=True)
    ScimUser.objects.create(
        organization=organization,
        membership=membership,
        user_name=user_name,
        external_id=resource.external_id or "",
        attributes=stored_attributes(resource),
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="scim.user_provisioned" if created else "scim.user_relinked",
        target=user,
        details={"userName": user_name, "externalId": resource.external_id or ""},
    )
    _apply(organization, actor, membership, fields)
    return membership


@transaction.atomic
def scim_user_replace(
    *, organization: Organization, actor: ScimActor, membership: Membership, resource: Any
) -> Membership:
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise _invalid("userName is required.")
    if _user_name_taken(organization, user_name, exclude=membership.pk):
        raise UniquenessException(detail=f"userName {user_name!r} is already provisioned.")
    fields = _wanted_membership_fields(organization, resource, membership)
    link = ScimUser.objects.for_org(organization).filter(membership=membership).first()
    before = (
        (link.user_name, link.external_id, link.attributes)
        if link is not None
        else (None, None, None)
    )
    if link is None:
        link = ScimUser(organization=organization, membership=membership)
    link.user_name = user_name
    link.external_id = resource.external_id or ""
    link.attributes = stored_attributes(resource)
    if (link.user_name, link.external_id, link.attributes) != before:
        link.updated_at = timezone.now()
        link.save()
        audit_record(
            organization=organization,
            actor=actor,
            action="scim.user_updated",
            target=membership.user,
            details={"userName": user_name, "externalId": link.external_id},
        )
    _apply(organization, actor, membership, fields)
    return membership


@transaction.atomic
def scim_user_deprovision(
    *, organization: Organization, actor: ScimActor, membership: Membership
) -> None:
    """DELETE: the person leaves SCIM's view and is deactivated; their history stays.
    Provisioning the same e-mail again reactivates the same membership."""
    _apply(organization, actor, membership, {"is_active": False})
    ScimUser.objects.for_org(organization).filter(membership=membership).delete()
    audit_record(
        organization=organization,
        actor=actor,
        action="scim.user_deprovisioned",
        target=membership.user,
    )


def _set_members(
    organization: Organization, actor: ScimActor, team: Team, member_values: list[str]
) -> None:
    """A person is in one team in Chorus: joining this group moves them here, and
    leaving it leaves them without a team."""
    wanted = {_membership_in_org(organization, value).pk for value in member_values}
    current = set(
        Membership.objects.for_org(organization).filter(team=team).values_list("pk", flat=True)
    )
    for membership in Membership.objects.for_org(organization).filter(pk__in=wanted - current):
        _apply(organization, actor, membership, {"team": team})
    for membership in Membership.objects.for_org(organization).filter(pk__in=current - wanted):
        _apply(organization, actor, membership, {"team": None})


def _member_values(resource: Any) -> list[str]:
    values = []
    for member in resource.members or []:
        if member.type not in (None, "User"):
            raise _invalid("Only users can be members of a group here (no nested groups).")
        values.append(member.value)
    return values


def _group_name(organization: Organization, resource: Any, exclude: int | None) -> str:
    name = (resource.display_name or "").strip()
    if not name:
        raise _invalid("displayName is required.")
    if len(name) > TEAM_NAME_MAX:
        raise _invalid(f"displayName is longer than {TEAM_NAME_MAX} characters.")
    # Team names are unique in an organization whatever their case or parent.
    teams = Team.objects.for_org(organization).filter(name__iexact=name)
    if exclude is not None:
        teams = teams.exclude(pk=exclude)
    if teams.exists():
        raise UniquenessException(detail=f"A team named {name!r} already exists.")
    return name


@transaction.atomic
def scim_group_create(*, organization: Organization, actor: ScimActor, resource: Any) -> Team:
    name = _group_name(organization, resource, exclude=None)
    members = _member_values(resource)
    try:
        team = team_create(organization=organization, actor=actor, name=name, kind=Team.Kind.GROUP)
    except ValidationError as error:
        raise UniquenessException(detail=_messages(error)) from error
    ScimGroup.objects.create(
        organization=organization, team=team, external_id=resource.external_id or ""
    )
    _set_members(organization, actor, team, members)
    return team


@transaction.atomic
def scim_group_replace(
    *, organization: Organization, actor: ScimActor, team: Team, resource: Any
) -> Team:
    name = _group_name(organization, resource, exclude=team.pk)
    members = _member_values(resource)
    if name != team.name:
        try:
            team_update(organization=organization, actor=actor, team=team, name=name)
        except ValidationError as error:
            raise UniquenessException(detail=_messages(error)) from error
    link, _created = ScimGroup.objects.for_org(organization).get_or_create(
        organization=organization, team=team
    )
    if link.external_id != (resource.external_id or "") or _created:
        link.external_id = resource.external_id or ""
        link.updated_at = timezone.now()
        link.save()
    _set_members(organization, actor, team, members)
    return team


@transaction.atomic
def scim_group_delete(*, organization: Organization, actor: ScimActor, team: Team) -> None:
    team_delete(organization=organization, actor=actor, team=team)


def scim_not_found(kind: str, resource_id: str) -> NotFoundException:
    return NotFoundException(detail=f"{kind} {resource_id} not found")
