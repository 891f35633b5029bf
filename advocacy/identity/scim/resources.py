"""How a membership reads as a SCIM User and a team as a SCIM Group (RFC 7643 §4).

The identity provider's attributes for this organization are kept as it sent
them (`ScimUser.attributes`); what Chorus owns is laid over them on the way
out: `active` is the membership's, `title` its job title, the enterprise
`manager` its manager, `groups` its team.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from pydantic import Field
from scim2_models import (
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    Mutability,
    Reference,
    Required,
    User,
)

from advocacy.tenancy.models import Membership, Team

from .models import ScimGroup, ScimUser


class ChorusEmail(Email):
    value: Annotated[str | None, Required.true] = None


class ChorusUser(User):
    """The core User schema, with `emails` required: a person signs in to Chorus by e-mail
    (RFC 7643 §7 lets a service provider publish which attributes it requires)."""

    emails: Annotated[list[ChorusEmail] | None, Required.true] = None
    # Chorus always knows whether someone is active; an absent value is not "unknown".
    active: Annotated[bool | None, Required.true] = None


UserResource = ChorusUser[EnterpriseUser]


class ChorusGroupMember(GroupMember):
    """Members are people (a team holds no teams), and the display name is Chorus's."""

    ref: Annotated[Reference[User] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])
    display: Annotated[str | None, Mutability.read_only] = None


class ChorusGroup(Group):
    members: list[ChorusGroupMember] | None = None


ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER_SCHEMAS = [User.__schema__, ENTERPRISE]
GROUP_SCHEMA = Group.__schema__

# Kept nowhere: not Chorus's to hold (password) or always computed (the rest).
NOT_STORED = {"id", "meta", "groups", "active", "password", "schemas"}


def _version(data: dict) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'W/"{digest[:16]}"'


def stored_attributes(resource: Any) -> dict:
    """The attributes of an incoming resource worth keeping, as JSON."""
    data = resource.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {key: value for key, value in data.items() if key not in NOT_STORED}


def user_data(membership: Membership, link: ScimUser | None) -> dict:
    if link is not None:
        data = dict(link.attributes)
        data["userName"] = link.user_name
        if link.external_id:
            data["externalId"] = link.external_id
        created, modified = link.created_at, link.updated_at
    else:
        # Someone who joined another way (an invitation, the CSV import): what Chorus knows.
        user = membership.user
        data = {"userName": user.email, "emails": [{"value": user.email, "primary": True}]}
        if user.name:
            data["displayName"] = user.name
            data["name"] = {"formatted": user.name}
        created = modified = membership.joined_at
    data["schemas"] = list(USER_SCHEMAS)
    data["id"] = str(membership.pk)
    data["active"] = membership.is_active
    if membership.job_title:
        data["title"] = membership.job_title
    else:
        data.pop("title", None)
    enterprise = dict(data.pop(ENTERPRISE, {}) or {})
    enterprise.pop("manager", None)
    if membership.manager_id:
        enterprise["manager"] = {
            "value": str(membership.manager_id),
            "$ref": f"Users/{membership.manager_id}",
        }
    if enterprise:
        data[ENTERPRISE] = enterprise
    if membership.team_id:
        data["groups"] = [
            {
                "value": str(membership.team_id),
                "$ref": f"Groups/{membership.team_id}",
                "display": membership.team.name,
                "type": "direct",
            }
        ]
    data["meta"] = {
        "resourceType": "User",
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "version": _version(data),
    }
    return data


def user_resource(membership: Membership, link: ScimUser | None) -> Any:
    return UserResource.model_validate(user_data(membership, link))


def group_data(team: Team, link: ScimGroup | None, members: list[Membership]) -> dict:
    data: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": str(team.pk),
        "displayName": team.name,
        "members": [{"value": str(m.pk), "$ref": f"Users/{m.pk}", "type": "User"} for m in members],
    }
    if not data["members"]:
        del data["members"]
    if link is not None and link.external_id:
        data["externalId"] = link.external_id
    created = link.created_at if link else None
    modified = link.updated_at if link else None
    data["meta"] = {
        "resourceType": "Group",
        "created": created.isoformat() if created else None,
        "lastModified": modified.isoformat() if modified else None,
        "version": _version(data),
    }
    data["meta"] = {k: v for k, v in data["meta"].items() if v is not None}
    return data


def group_resource(team: Team, link: ScimGroup | None, members: list[Membership]) -> Any:
    return ChorusGroup.model_validate(group_data(team, link, members))
