"""Row-level security on PostgreSQL: the fourth layer of tenant isolation.

Every table of a `TenantModel` gets RLS enabled and FORCE'd with one policy:
a row is visible and writable only while `app.current_org` names its
organization, or inside the audited system context (`app.system = on`).
`advocacy.tenancy.context` sets those values; nothing else does.

Superusers and table owners with BYPASSRLS ignore policies, even FORCE'd ones,
and development and CI connect as `postgres`. So the application acts as a
role that cannot bypass them: every new connection does `SET ROLE <app role>`
(`settings.DATABASE_APP_ROLE`, default `chorus_app`; empty to switch off when
the connecting user already is such a role). Schema changes (`migrate`) and
test flushes (`flush`) run as the connecting owner inside `owner_role()`.

Policies are applied by a migration and again after every `migrate`
(post_migrate), to every tenant table that lacks them, so tables that other
apps add later are covered without anyone remembering to. The isolation tests
fail when a tenant table has no policy.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import NO_DB_ALIAS

from .context import SET_CONTEXT_SQL, database_settings

log = logging.getLogger(__name__)

POLICY = "tenant_isolation"
PERSON_POLICY = "person_reads_own"
ORG_CLAUSE = (
    "organization_id = NULLIF(current_setting('app.current_org', true), '')::bigint"
    " OR current_setting('app.system', true) = 'on'"
)
PERSON_CLAUSE = "{column} = NULLIF(current_setting('app.current_user', true), '')::bigint"

_owner_mode: ContextVar[bool] = ContextVar("chorus_rls_owner_mode", default=False)


def app_role(connection) -> str:
    if connection.vendor != "postgresql":
        return ""
    return getattr(settings, "DATABASE_APP_ROLE", "chorus_app") or ""


def tenant_models() -> list[type]:
    from .models import TenantModel

    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and model._meta.managed and not model._meta.proxy
    ]


def tenant_tables() -> dict[str, str | None]:
    """db_table → the column a person may read their own rows by (or None)."""
    tables: dict[str, str | None] = {}
    for model in tenant_models():
        person_field = getattr(model, "rls_person_field", None)
        column = model._meta.get_field(person_field).column if person_field else None
        tables[model._meta.db_table] = column
    return tables


def missing_policies(connection) -> list[str]:
    """Tenant tables (that exist) without RLS enabled, FORCE'd and the tenant policy."""
    tables = tenant_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policies p
                           WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                             AND p.policyname = %s)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(%s)
            """,
            [POLICY, list(tables)],
        )
        rows = cursor.fetchall()
    return sorted(
        name
        for name, enabled, forced, has_policy in rows
        if not (enabled and forced and has_policy)
    )


def _protect(cursor, quote, table: str, person_column: str | None) -> None:
    name = quote(table)
    cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    cursor.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {name}")
    cursor.execute(
        f"CREATE POLICY {POLICY} ON {name} USING ({ORG_CLAUSE}) WITH CHECK ({ORG_CLAUSE})"
    )
    if person_column:
        # Reading only: a person may list their own memberships in every organization.
        clause = PERSON_CLAUSE.format(column=quote(person_column))
        cursor.execute(f"DROP POLICY IF EXISTS {PERSON_POLICY} ON {name}")
        cursor.execute(f"CREATE POLICY {PERSON_POLICY} ON {name} FOR SELECT USING ({clause})")


def ensure_app_role(connection) -> bool:
    """Create the application role if it is missing and we may; grant it the data."""
    role = app_role(connection)
    if not role:
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            # Roles are cluster-wide; a concurrent migrate may create it first.
            cursor.execute(
                f"DO $$ BEGIN CREATE ROLE {quote(role)} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;"
                " EXCEPTION WHEN duplicate_object THEN NULL;"
                " WHEN insufficient_privilege THEN RAISE WARNING 'cannot create role'; END $$"
            )
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                log.warning(
                    "PostgreSQL role %s is missing and could not be created; "
                    "create it (NOLOGIN NOBYPASSRLS) or set DATABASE_APP_ROLE",
                    role,
                )
                return False
        cursor.execute(
            f"DO $$ BEGIN GRANT {quote(role)} TO CURRENT_USER;"
            " EXCEPTION WHEN OTHERS THEN NULL; END $$"
        )
        cursor.execute(f"GRANT USAGE ON SCHEMA {quote('public')} TO {quote(role)}")
        # DML only: no TRUNCATE (it ignores row-level security), no DDL.
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quote(role)}"
        )
        cursor.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}"
        )
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quote(role)}"
        )
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {quote(role)}"
        )
    return True


def apply(connection) -> list[str]:
    """Protect every tenant table that lacks the policy; returns the tables changed."""
    if connection.vendor != "postgresql":
        return []
    ensure_app_role(connection)
    tables = tenant_tables()
    todo = missing_policies(connection)
    with connection.cursor() as cursor:
        for table in todo:
            _protect(cursor, connection.ops.quote_name, table, tables[table])
    if todo:
        log.info("row-level security applied to %s", ", ".join(todo))
    return todo


def _role_exists(raw_cursor, role: str) -> bool:
    raw_cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return raw_cursor.fetchone() is not None


def on_connection_created(sender, connection, **kwargs) -> None:
    """Act as the application role and carry the current context into the new connection."""
    if connection.vendor != "postgresql" or connection.alias == NO_DB_ALIAS:
        return  # the maintenance connection (create/drop database) stays the owner
    role = app_role(connection)
    pooled = getattr(settings, "DATABASE_TRANSACTION_POOLING", False)
    # The raw cursor keeps this setup out of Django's query log and query counts.
    with connection.connection.cursor() as cursor:
        if pooled:
            # Nothing per session: the server connection is shared with other clients.
            from .pooling import install

            install(connection, role if role and _role_exists(cursor, role) else "")
        elif _owner_mode.get():
            cursor.execute("SELECT set_config('role', 'none', false)")
            cursor.execute(SET_CONTEXT_SQL, ["", "on", ""])
            return
        elif role and _role_exists(cursor, role):
            cursor.execute("SELECT set_config('role', %s, false)", [role])
            cursor.execute(SET_CONTEXT_SQL, list(database_settings()))
        else:
            if role:
                log.warning("PostgreSQL role %s does not exist yet; run migrate", role)
            cursor.execute(SET_CONTEXT_SQL, list(database_settings()))
    if not connection.get_autocommit():
        connection.connection.commit()


@contextmanager
def owner_role(using: str = "default") -> Iterator[None]:
    """Run schema work as the connecting (owning) user, seeing every row."""
    connection = connections[using]
    token = _owner_mode.set(True)
    # Pooled: nothing per session; every statement says who acts (pooling.py).
    session = not getattr(settings, "DATABASE_TRANSACTION_POOLING", False)
    if session and connection.vendor == "postgresql" and connection.connection is not None:
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('role', 'none', false)")
            cursor.execute(SET_CONTEXT_SQL, ["", "on", ""])
    try:
        yield
    finally:
        _owner_mode.reset(token)
        still_owner = _owner_mode.get()  # nested: the outer block switches back
        if (
            session
            and connection.vendor == "postgresql"
            and connection.connection is not None
            and not still_owner
        ):
            role = app_role(connection)
            with connection.connection.cursor() as cursor:
                if role and _role_exists(cursor, role):
                    cursor.execute("SELECT set_config('role', %s, false)", [role])
                cursor.execute(SET_CONTEXT_SQL, list(database_settings()))


def current_role_bypasses_rls(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def on_post_migrate(sender, using="default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with owner_role(using):
        apply(connection)
