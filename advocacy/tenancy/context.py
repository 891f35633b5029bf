"""The current organization, held in a context variable for the domain layer.

Middleware enters it for a request under /o/<slug>/ or /api/v1/orgs/<slug>/,
`OrgTask` enters it for a Celery task. Saving a TenantModel of another
organization while it is set raises. On PostgreSQL the same value is handed
to row-level security as `app.current_org`.

Work that truly spans organizations (the click flusher, the poll scheduler,
sign-in lookups) enters `system_context(reason)`, which is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from .models import Organization

audit_log = logging.getLogger("chorus.audit")

_current_org: ContextVar[Organization | None] = ContextVar("chorus_current_org", default=None)
_system_reason: ContextVar[str | None] = ContextVar("chorus_system_reason", default=None)


class CrossTenantWrite(Exception):
    """A row of one organization was about to be written inside another's context."""


def current_org() -> Organization | None:
    return _current_org.get()


def in_system_context() -> bool:
    return _system_reason.get() is not None


def _apply_to_database() -> None:
    """Tell PostgreSQL's row-level security which organization (or system) is acting."""
    if connection.vendor != "postgresql":
        return
    org = _current_org.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.current_org', %s, false), set_config('app.system', %s, false)",
            [str(org.pk) if org is not None else "", "on" if in_system_context() else "off"],
        )


@contextmanager
def org_context(organization: Organization) -> Iterator[Organization]:
    token = _current_org.set(organization)
    _apply_to_database()
    try:
        yield organization
    finally:
        _current_org.reset(token)
        _apply_to_database()


@contextmanager
def system_context(reason: str) -> Iterator[None]:
    """Cross-organization work; every entry is written to the audit log."""
    audit_log.info("system context entered: %s", reason)
    token = _system_reason.set(reason)
    _apply_to_database()
    try:
        yield
    finally:
        _system_reason.reset(token)
        _apply_to_database()
