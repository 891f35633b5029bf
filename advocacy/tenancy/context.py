"""The current organization, held in a context variable for the domain layer.

Middleware enters it for a request under /o/<slug>/ or /api/v1/orgs/<slug>/,
`OrgTask` enters it for a Celery task. Saving a TenantModel of another
organization while it is set raises. On PostgreSQL the same value is handed
to row-level security as `app.current_org` (see `advocacy.tenancy.rls`).

Work that truly spans organizations (the click flusher, the poll scheduler,
platform staff in the admin) enters `system_context(reason)`, which is logged.
Entering an organization inside a system context narrows it to that
organization again, so a system job that works org by org cannot leak.

`person_context(user_id)` tells the database who is signed in, so a person can
list their own memberships (the organization switcher) before any
organization is chosen; RLS lets that one table answer for `user_id` alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection

if TYPE_CHECKING:
    from .models import Organization

audit_log = logging.getLogger("chorus.audit")

_current_org: ContextVar[Organization | None] = ContextVar("chorus_current_org", default=None)
_system_reason: ContextVar[str | None] = ContextVar("chorus_system_reason", default=None)
_current_person: ContextVar[int | None] = ContextVar("chorus_current_person", default=None)


class CrossTenantWrite(Exception):
    """A row of one organization was about to be written inside another's context."""


def current_org() -> Organization | None:
    return _current_org.get()


def in_system_context() -> bool:
    return _system_reason.get() is not None


def database_settings() -> tuple[str, str, str]:
    """The values row-level security reads: (app.current_org, app.system, app.current_user)."""
    org = _current_org.get()
    person = _current_person.get()
    return (
        str(org.pk) if org is not None else "",
        "on" if in_system_context() else "off",
        str(person) if person is not None else "",
    )


SET_CONTEXT_SQL = (
    "SELECT set_config('app.current_org', %s, false), set_config('app.system', %s, false), "
    "set_config('app.current_user', %s, false)"
)


def _apply_to_database() -> None:
    """Tell PostgreSQL's row-level security which organization (or system) is acting.

    A connection that is not open yet gets these values when it opens (the
    connection_created hook in `rls.py`), so nothing is sent here for it. In a
    transaction that already failed nothing can be sent; its rollback restores
    the values that held when it began, which belong to the enclosing context."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    if getattr(settings, "DATABASE_TRANSACTION_POOLING", False):
        return  # every statement carries the context itself (pooling.py)
    from psycopg2.extensions import TRANSACTION_STATUS_INERROR

    if connection.connection.get_transaction_status() == TRANSACTION_STATUS_INERROR:
        return
    with connection.cursor() as cursor:
        cursor.execute(SET_CONTEXT_SQL, list(database_settings()))


@contextmanager
def org_context(organization: Organization) -> Iterator[Organization]:
    token = _current_org.set(organization)
    system_token = _system_reason.set(None)
    _apply_to_database()
    try:
        yield organization
    finally:
        _system_reason.reset(system_token)
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


@contextmanager
def person_context(user_id: int | None) -> Iterator[None]:
    """Who is signed in; lets them read their own memberships in any organization."""
    if user_id == _current_person.get():
        yield
        return
    token = _current_person.set(user_id)
    _apply_to_database()
    try:
        yield
    finally:
        _current_person.reset(token)
        _apply_to_database()


@contextmanager
def request_context(
    *, user_id: int | None, organization: Organization | None = None
) -> Iterator[None]:
    """Person and organization of one request, handed to the database in one statement."""
    if user_id == _current_person.get() and organization is None:
        yield
        return
    person_token = _current_person.set(user_id)
    org_token = _current_org.set(organization) if organization is not None else None
    system_token = _system_reason.set(None) if organization is not None else None
    _apply_to_database()
    try:
        yield
    finally:
        if system_token is not None:
            _system_reason.reset(system_token)
        if org_token is not None:
            _current_org.reset(org_token)
        _current_person.reset(person_token)
        _apply_to_database()
