"""Role checks, one vocabulary for views and the API. See docs/permissions.md."""

from __future__ import annotations

from .models import Role

EVERYONE = frozenset(Role.values)
ADMINS = frozenset({Role.OWNER, Role.ADMIN})
CURATORS = ADMINS | {Role.CURATOR}
MANAGERS = ADMINS | {Role.MANAGER}
OWNERS = frozenset({Role.OWNER})


def role_allows(membership, roles: frozenset[str]) -> bool:
    return membership is not None and membership.role in roles
