"""scim2-server's storage for one organization: reads and writes go to Chorus.

scim2-server speaks the protocol (routing, validation, PATCH, filters,
errors); this class only finds, creates, replaces and deletes, always inside
the request's organization. Another organization's id is simply not found.
"""

from __future__ import annotations

from typing import Any, Union

from django.db import transaction
from django.db.models import Q
from scim2_models import (
    NotFoundException,
    PreconditionFailedException,
    Resource,
    ResourceType,
    ResponseParameters,
    ScimFilter,
    SearchRequest,
)
from scim2_models.path import CompareOperator, Comparison
from scim2_server.storage import ScimStorage, SearchPage
from scim2_server.utils import parametrize

from advocacy.tenancy.models import Membership, Organization, Team

from . import services
from .models import ScimGroup, ScimUser
from .resources import group_resource, user_resource


def _pk(resource_id: Any) -> int | None:
    text = str(resource_id or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


class ChorusScimStorage(ScimStorage):
    def __init__(self, *, organization: Organization, actor: services.ScimActor) -> None:
        self.organization = organization
        self.actor = actor

    # -- reads ------------------------------------------------------------

    def _memberships(self):
        """What SCIM sees: active members, and anyone it provisioned (active or not).
        Someone deprovisioned with DELETE is gone from SCIM's view but not from Chorus."""
        org = self.organization
        linked = ScimUser.objects.for_org(org).values("membership_id")
        return (
            Membership.objects.for_org(org)
            .filter(Q(is_active=True) | Q(pk__in=linked))
            .select_related("user", "team")
            .order_by("pk")
        )

    def _links(self, memberships: list[Membership]) -> dict[int, ScimUser]:
        links = ScimUser.objects.for_org(self.organization).filter(
            membership_id__in=[m.pk for m in memberships]
        )
        return {link.membership_id: link for link in links}

    def _users(self, memberships: list[Membership]) -> list[Resource]:
        links = self._links(memberships)
        return [user_resource(m, links.get(m.pk)) for m in memberships]

    def _groups(self, teams: list[Team]) -> list[Resource]:
        org = self.organization
        links = {
            g.team_id: g
            for g in ScimGroup.objects.for_org(org).filter(team_id__in=[t.pk for t in teams])
        }
        members: dict[int, list[Membership]] = {t.pk: [] for t in teams}
        for m in self._memberships().filter(team_id__in=list(members)):
            members[m.team_id].append(m)
        return [group_resource(t, links.get(t.pk), members[t.pk]) for t in teams]

    def _membership(self, resource_id: Any) -> Membership:
        pk = _pk(resource_id)
        membership = self._memberships().filter(pk=pk).first() if pk is not None else None
        if membership is None:
            raise services.scim_not_found("User", str(resource_id))
        return membership

    def _team(self, resource_id: Any) -> Team:
        pk = _pk(resource_id)
        team = Team.objects.for_org(self.organization).filter(pk=pk).first() if pk else None
        if team is None:
            raise services.scim_not_found("Group", str(resource_id))
        return team

    def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        if resource_type.name == "Group":
            return self._groups([self._team(resource_id)])[0]
        return self._users([self._membership(resource_id)])[0]

    def _narrowed(self, resource_type: ResourceType, scim_filter) -> Any:
        """The database query for a lone `eq` on an indexed attribute (what Okta and
        Entra send for every person they look up); None means filter in Python."""
        node = getattr(scim_filter, "ast", None)
        if not isinstance(node, Comparison) or node.op != CompareOperator.eq:
            return None
        if not isinstance(node.value, str) or node.attr_path.sub_attr:
            return None
        attr, value = node.attr_path.attr.lower(), node.value
        org = self.organization
        if resource_type.name == "Group":
            teams = Team.objects.for_org(org).order_by("pk")
            if attr == "displayname":
                return teams.filter(name__iexact=value)
            if attr == "externalid":
                linked = ScimGroup.objects.for_org(org).filter(external_id=value)
                return teams.filter(pk__in=linked.values("team_id"))
            if attr == "id":
                return teams.filter(pk=_pk(value))
            return None
        members = self._memberships()
        if attr == "username":
            linked = ScimUser.objects.for_org(org).filter(user_name__iexact=value)
            unlinked = ~Q(pk__in=ScimUser.objects.for_org(org).values("membership_id"))
            return members.filter(
                Q(pk__in=linked.values("membership_id")) | (unlinked & Q(user__email__iexact=value))
            )
        if attr == "externalid":
            linked = ScimUser.objects.for_org(org).filter(external_id=value)
            return members.filter(pk__in=linked.values("membership_id"))
        if attr == "id":
            return members.filter(pk=_pk(value))
        return None

    def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        scim_filter = search_request.filter
        start = search_request.start_index_0 or 0
        count = search_request.count
        stop = None if count is None else start + count
        if len(resource_types) != 1:
            return self._search_everything(scim_filter, start, stop)
        resource_type = resource_types[0]
        narrowed = self._narrowed(resource_type, scim_filter)
        is_group = resource_type.name == "Group"
        if narrowed is not None or scim_filter is None:
            rows = narrowed
            if rows is None:
                rows = (
                    Team.objects.for_org(self.organization).order_by("pk")
                    if is_group
                    else self._memberships()
                )
            total = rows.count()
            page = list(rows[start:stop]) if count != 0 else []
            found = self._groups(page) if is_group else self._users(page)
            return SearchPage(total, found)
        everything = (
            self._groups(list(Team.objects.for_org(self.organization).order_by("pk")))
            if is_group
            else self._users(list(self._memberships()))
        )
        matching = [r for r in everything if scim_filter.match(r)]
        return SearchPage(len(matching), matching[start:stop])

    def _search_everything(self, scim_filter, start: int, stop: int | None) -> SearchPage:
        """A search at the service root (RFC 7644 §3.4.2.1): people, then teams."""
        org = self.organization
        found = self._users(list(self._memberships())) + self._groups(
            list(Team.objects.for_org(org).order_by("pk"))
        )
        if scim_filter is not None:
            if not scim_filter.models and found:
                models = tuple(dict.fromkeys(type(r) for r in found))
                scim_filter = parametrize(ScimFilter, Union[models])(str(scim_filter))  # noqa: UP007
            found = [r for r in found if scim_filter.match(r)]
        return SearchPage(len(found), found[start:stop])

    # -- writes -----------------------------------------------------------

    def operation(self):
        return transaction.atomic()

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        org, actor = self.organization, self.actor
        if resource_type.name == "Group":
            team = services.scim_group_create(organization=org, actor=actor, resource=resource)
            return self.get(resource_type, str(team.pk))
        membership = services.scim_user_create(organization=org, actor=actor, resource=resource)
        return self.get(resource_type, str(membership.pk))

    def _check_version(self, resource_type, resource_id, expected_version) -> None:
        if expected_version is None:
            return
        current = self.get(resource_type, resource_id)
        if current.meta.version != expected_version:
            raise PreconditionFailedException

    def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        org, actor = self.organization, self.actor
        self._check_version(resource_type, resource.id, expected_version)
        if resource_type.name == "Group":
            team = self._team(resource.id)
            services.scim_group_replace(organization=org, actor=actor, team=team, resource=resource)
        else:
            membership = self._membership(resource.id)
            services.scim_user_replace(
                organization=org, actor=actor, membership=membership, resource=resource
            )
        return self.get(resource_type, str(resource.id))

    def delete(
        self, resource_type: ResourceType, resource_id: str, *, expected_version: str | None = None
    ) -> None:
        org, actor = self.organization, self.actor
        self._check_version(resource_type, resource_id, expected_version)
        if resource_type.name == "Group":
            services.scim_group_delete(organization=org, actor=actor, team=self._team(resource_id))
        else:
            membership = self._membership(resource_id)
            services.scim_user_deprovision(organization=org, actor=actor, membership=membership)


__all__ = ["ChorusScimStorage", "NotFoundException"]
