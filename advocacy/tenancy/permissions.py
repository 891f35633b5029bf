"""Role checks, one vocabulary for views and the API. See docs/permissions.md.

Plain strings (the values of `models.Role`), so an AppConfig may import these
sets at module level before the models are loaded.
"""

from __future__ import annotations

OWNER, ADMIN, CURATOR, MANAGER, EMPLOYEE = "owner", "admin", "curator", "manager", "employee"

EVERYONE = frozenset({OWNER, ADMIN, CURATOR, MANAGER, EMPLOYEE})
ADMINS = frozenset({OWNER, ADMIN})
CURATORS = ADMINS | {CURATOR}
MANAGERS = ADMINS | {MANAGER}
OWNERS = frozenset({OWNER})


def role_allows(membership, roles: frozenset[str]) -> bool:
    return membership is not None and membership.role in roles
