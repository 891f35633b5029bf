"""Reads about organizations and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Membership, Organization, Team


def organization_get_by_slug(*, slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug, is_active=True).first()


def membership_get(*, organization: Organization, user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.for_org(organization)
        .select_related("team")
        .filter(user=user, is_active=True)
        .first()
    )


def organizations_for_user(*, user) -> QuerySet[Organization]:
    """The organizations a person belongs to (their own memberships only)."""
    return Organization.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(user=user, is_active=True).values("organization_id"),
    ).order_by("name")


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.for_org(organization).select_related("user", "team")


def team_list(*, organization: Organization) -> QuerySet[Team]:
    return Team.objects.for_org(organization)


def team_tree_ids(*, organization: Organization, root: Team) -> set[int]:
    """Ids of a team and all teams below it."""
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.for_org(organization).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(team_id)
    found, stack = set(), [root.pk]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


def membership_tree_ids(*, organization: Organization, manager: Membership) -> set[int]:
    """Ids of a manager's memberships below them: reports, their reports, and so on,
    plus everyone in the manager's team tree."""
    reports: dict[int | None, list[int]] = {}
    team_of: dict[int, int | None] = {}
    for member_id, manager_id, team_id in Membership.objects.for_org(organization).values_list(
        "id", "manager_id", "team_id"
    ):
        reports.setdefault(manager_id, []).append(member_id)
        team_of[member_id] = team_id
    found, stack = set(), [manager.pk]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(reports.get(current, []))
    if manager.team_id:
        teams = team_tree_ids(organization=organization, root=manager.team)
        found |= {member_id for member_id, team_id in team_of.items() if team_id in teams}
    return found
