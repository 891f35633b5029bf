"""The one `INSERT ... ON CONFLICT` of analytics.

Clicks, snapshots and counted shares are inserted "unless already stored"
(`DO NOTHING RETURNING`: exactly the rows this call inserted come back, which is
what keeps a redelivered batch from counting twice); rollup rows are added to
(`DO UPDATE SET x = x + EXCLUDED.x`, so concurrent writers add up).

On PostgreSQL a large batch is COPY'd into a scratch table and inserted with one
`INSERT ... SELECT ... ORDER BY <key>`: parsing COPY is several times cheaper
than a statement with tens of thousands of parameters, and the order is one
lock order for every writer. SQLite gets multi-row VALUES in chunks.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection, transaction

_COPY_FROM = 64  # rows from which COPY beats VALUES on PostgreSQL
_SQLITE_PARAMETERS = 30_000  # SQLite >= 3.32 accepts 32,766 parameters per statement
# COPY's text format: backslash, tab, newline and carriage return are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_on_conflict(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    conflict: Sequence[str],
    add: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert `rows` (tuples in `columns` order) into `table`.

    A row whose `conflict` key is stored already adds its `add` columns to the stored
    row, or, with no `add`, is skipped. Returns the `returning` columns of the rows
    inserted or updated. Rows must not repeat a key (aggregate them first)."""
    if not rows:
        return []
    quoted = connection.ops.quote_name(table)
    if add:
        updates = ", ".join(f"{name} = {quoted}.{name} + EXCLUDED.{name}" for name in add)
        on_conflict = f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    else:
        on_conflict = f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    if returning:
        on_conflict += f" RETURNING {', '.join(returning)}"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= _COPY_FROM:
            return _by_copy(cursor, quoted, columns, rows, conflict, on_conflict, returning)
        return _by_values(cursor, quoted, columns, rows, on_conflict, returning)


def _by_values(cursor, quoted, columns, rows, on_conflict, returning) -> list[tuple]:
    adapt = _adapter()
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, _SQLITE_PARAMETERS // len(columns))
    found: list[tuple] = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        params = [adapt(value) for row in chunk for value in row]
        cursor.execute(
            f"INSERT INTO {quoted} ({', '.join(columns)}) VALUES {', '.join([one] * len(chunk))} {on_conflict}",  # noqa: S608 (names are constants; values are parameters)
            params,
        )
        if returning:
            found += cursor.fetchall()
    return found


def _by_copy(cursor, quoted, columns, rows, conflict, on_conflict, returning) -> list[tuple]:
    names = ", ".join(columns)
    scratch = connection.ops.quote_name(f"batch_{quoted.strip(chr(34))}")
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {scratch} ON COMMIT DROP AS SELECT {names} FROM {quoted} WITH NO DATA"  # noqa: S608
    )
    data = io.StringIO()
    data.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    data.seek(0)
    cursor.copy_expert(f"COPY {scratch} ({names}) FROM STDIN", data)
    cursor.execute(
        f"INSERT INTO {quoted} ({names}) SELECT {names} FROM {scratch} ORDER BY {', '.join(conflict)} {on_conflict}"  # noqa: S608
    )
    found = cursor.fetchall() if returning else []
    cursor.execute(f"TRUNCATE {scratch}")  # the next batch in this transaction starts empty
    return found


def _adapter():
    ops = connection.ops

    def adapt(value):
        if isinstance(value, datetime.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return ops.adapt_datefield_value(value)
        if isinstance(value, Decimal):
            return ops.adapt_decimalfield_value(value, 16, 2)
        return value

    return adapt


def _copy_text(value) -> str:
    if type(value) is int:
        return str(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)
