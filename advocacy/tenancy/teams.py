"""Writes about teams; each change is on the audit trail."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.audit.services import audit_record

from .access import ensure_in_org
from .hierarchy import chain_reaches
from .models import Organization, Team


def _name_free(organization: Organization, name: str, *, team: Team | None = None) -> None:
    """Team names are unique in an organization whatever their case (`team_unique_name`)."""
    taken = Team.objects.for_org(organization).filter(name__iexact=name.strip())
    if team is not None:
        taken = taken.exclude(pk=team.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("A team called “%(name)s” already exists.") % {"name": name.strip()}}
        )


def _no_loop(organization: Organization, team: Team, parent: Team) -> None:
    """A team may not sit under itself or under a team below it: the tree would loop."""
    ensure_in_org(organization, parent)
    if chain_reaches(organization, parent, "parent", team.pk):
        raise ValidationError(
            {"parent": _("A team cannot sit under itself or under one of its own teams.")}
        )


@transaction.atomic
def team_create(*, organization: Organization, actor, **fields) -> Team:
    _name_free(organization, fields.get("name", ""))
    team = Team.objects.create(organization=organization, **fields)
    audit_record(organization=organization, actor=actor, action="team.created", target=team)
    return team


@transaction.atomic
def team_update(*, organization: Organization, actor, team: Team, **fields) -> Team:
    ensure_in_org(organization, team)
    if "name" in fields:
        _name_free(organization, fields["name"], team=team)
    if fields.get("parent") is not None:
        _no_loop(organization, team, fields["parent"])
    before = team.name
    for name, value in fields.items():
        setattr(team, name, value)
    team.save()
    if team.name != before:
        audit_record(
            organization=organization,
            actor=actor,
            action="team.renamed",
            target=team,
            details={"from": before, "to": team.name},
        )
    return team


@transaction.atomic
def team_delete(*, organization: Organization, actor, team: Team) -> None:
    ensure_in_org(organization, team)
    audit_record(organization=organization, actor=actor, action="team.deleted", target=team)
    team.delete()
