"""Writes about teams; each change is on the audit trail."""

from __future__ import annotations

from django.db import transaction

from advocacy.audit.services import audit_record

from .access import ensure_in_org
from .models import Organization, Team


@transaction.atomic
def team_create(*, organization: Organization, actor, **fields) -> Team:
    team = Team.objects.create(organization=organization, **fields)
    audit_record(organization=organization, actor=actor, action="team.created", target=team)
    return team


@transaction.atomic
def team_update(*, organization: Organization, actor, team: Team, **fields) -> Team:
    ensure_in_org(organization, team)
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
