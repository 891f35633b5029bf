"""Row-level security behind a transaction-pooling PgBouncer.

In transaction pooling, consecutive transactions of one Django connection run on
whichever server connection is free, so anything set per session (`SET ROLE`, a
session-level `set_config`) may be missing, or be another client's. With
`DATABASE_TRANSACTION_POOLING` on, every statement carries its own context: it is
sent as `SELECT set_config(<role, org, system, person>, true); <statement>`, which
PostgreSQL runs as one transaction (or inside the enclosing one), and `is_local`
makes the values end with that transaction. So every transaction, pooled or not,
acts as the application role for the organization of the code that runs it, and
nothing of it outlives the transaction on the server connection.

Server-side cursors are switched off in this mode (settings), as Django advises
for transaction pooling. Schema work (`owner_role()`) carries the owner's context
the same way (role `none`: the connecting user). Run `migrate` on a direct
connection all the same: some schema statements cannot run inside a transaction.
"""

from __future__ import annotations

import re
from typing import Any

from .context import database_settings

_TRANSACTION_CONTROL = re.compile(
    r"\s*(SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|START TRANSACTION)\b", re.IGNORECASE
)
_PREFIX_ROLE = "SELECT set_config('role', %s, true), "
_PREFIX = (
    "set_config('app.current_org', %s, true), set_config('app.system', %s, true), "
    "set_config('app.current_user', %s, true); "
)
_PREFIX_ROLE_NAMED = "SELECT set_config('role', %(_chorus_role)s, true), "
_PREFIX_NAMED = (
    "set_config('app.current_org', %(_chorus_org)s, true), "
    "set_config('app.system', %(_chorus_system)s, true), "
    "set_config('app.current_user', %(_chorus_person)s, true); "
)


OWNER_SETTINGS = ("", "on", "")  # schema work: the owner, seeing every row


def _settings() -> tuple[str, str, str]:
    from .rls import _owner_mode

    return OWNER_SETTINGS if _owner_mode.get() else database_settings()


def _values(role: str) -> list[str]:
    return ([role] if role else []) + list(_settings())


def _prefixed(sql: str, params: Any, role: str) -> tuple[str, Any]:
    if isinstance(params, dict):
        keys = ("_chorus_org", "_chorus_system", "_chorus_person")
        names = dict(zip(keys, _settings(), strict=True))
        if role:
            names["_chorus_role"] = role
        head = (_PREFIX_ROLE_NAMED if role else "SELECT ") + _PREFIX_NAMED
        return head + sql, {**params, **names}
    head = (_PREFIX_ROLE if role else "SELECT ") + _PREFIX
    if params is None:
        # The statement was not meant to be interpolated: keep its % signs literal.
        return head + sql.replace("%", "%%"), _values(role)
    return head + sql, [*_values(role), *params]


class PerTransactionContext:
    """A connection execute wrapper (installed once per DatabaseWrapper)."""

    def __init__(self, role: str) -> None:
        self.role = role

    def __call__(self, execute, sql, params, many, context):
        from .rls import _owner_mode

        cursor = getattr(context.get("cursor"), "cursor", None)
        if getattr(cursor, "name", None) or _TRANSACTION_CONTROL.match(sql):
            # A named cursor takes one statement; `ROLLBACK TO SAVEPOINT` must run even in
            # a failed transaction, where a SELECT ahead of it would be refused.
            return execute(sql, params, many, context)
        role = "none" if _owner_mode.get() else self.role
        if many:
            prefixed = [_prefixed(sql, p, role) for p in params]
            if not prefixed:
                return execute(sql, params, many, context)
            return execute(prefixed[0][0], [p for _sql, p in prefixed], many, context)
        new_sql, new_params = _prefixed(sql, params, role)
        return execute(new_sql, new_params, many, context)


def install(connection, role: str) -> None:
    for wrapper in connection.execute_wrappers:
        if isinstance(wrapper, PerTransactionContext):
            wrapper.role = role
            return
    connection.execute_wrappers.append(PerTransactionContext(role))
