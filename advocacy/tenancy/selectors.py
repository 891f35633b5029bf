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


def members_visible_to(*, organization: Organization, viewer: Membership) -> QuerySet[Membership]:
    """Admins see everyone; a manager sees their own tree (themselves, their reports
    down the chain, and everyone in their team and the teams below it)."""
    from .permissions import ADMINS

    members = Membership.objects.for_org(organization)
    if viewer.role in ADMINS:
        return members
    return members.filter(pk__in=membership_tree_ids(organization=organization, manager=viewer))


DIRECTORY_STATUSES = ("active", "left", "all")


def directory_list(
    *,
    organization: Organization,
    viewer: Membership,
    query: str = "",
    team: Team | None = None,
    role: str = "",
    location: str = "",
    status: str = "active",
) -> QuerySet[Membership]:
    from django.db.models import Q

    members = members_visible_to(organization=organization, viewer=viewer).select_related(
        "user", "team", "manager__user"
    )
    if status == "active":
        members = members.filter(is_active=True)
    elif status == "left":
        members = members.filter(is_active=False)
    if query:
        members = members.filter(
            Q(user__name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(job_title__icontains=query)
        )
    if team is not None:
        members = members.filter(team_id__in=team_tree_ids(organization=organization, root=team))
    if role:
        members = members.filter(role=role)
    if location:
        members = members.filter(location=location)
    return members.order_by("user__name", "user__email")


def directory_locations(*, organization: Organization) -> list[str]:
    return list(
        Membership.objects.for_org(organization)
        .exclude(location="")
        .order_by("location")
        .values_list("location", flat=True)
        .distinct()
    )


def invitation_list(*, organization: Organization):
    from .models import Invitation

    return Invitation.objects.for_org(organization).select_related("team", "invited_by")


def import_job_list(*, organization: Organization):
    from .models import ImportJob

    return ImportJob.objects.for_org(organization).defer("content").select_related("created_by")
