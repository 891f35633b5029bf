"""Ids that arrive as text (query parameters, form lists): one reading for all.

`"12".isdigit()` is not enough: it accepts "²" (which `int()` refuses) and numbers past
a BigAutoField, which the database driver refuses with a server error. An id is ASCII
digits within 1..2**63-1; anything else names no row.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def as_id(value: object) -> int | None:
    """The id `value` names, or None when it cannot name a row."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
