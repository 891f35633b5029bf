"""Counting a batch of clicks on PostgreSQL: the same rules as `record.py`, in SQL.

The flusher hands over the stream's packed values as they are (bytes, one click
each, fields joined by the unit separator). They become the rows of one COPY,
and a few statements do what `record.clicks_record` does click by click in
Python on SQLite:

1. `click_batch`: the values as text, exactly as the redirect wrote them.
2. `click_live`: clicks on links that still exist in the click's own organization;
   bots flagged (the user agents are judged in Python, once per distinct agent); `k`
   is the visit key (link, visitor, clock hour). One sort of each (link, visitor)'s
   clicks by time marks the first click of each hour (`first_of_visit`) and the
   latest (`latest`), and counts them. Then how many clicks were stored before this
   batch: `n` under `k` (for first and latest clicks), `n0` under the key of the hour
   before, `k0` (for latest clicks): one probe of the (organization, visit_key) index each.
3. The insert: a human click opens a visit when it is the first of its visit in the
   batch and nothing was stored under its key. Almost always no click id of the batch
   is stored already or held twice: a plain insert takes every row, and the inserted
   rows are `click_live`'s. Otherwise that insert fails on the unique index, is rolled
   back to its savepoint and done again with `ON CONFLICT DO NOTHING` (ids stored
   already are skipped, and the second copy of an id held twice) and RETURNING into
   `click_new`.
4. From the inserted rows: the rollup facts per share and quarter hour, the unique
   clicks per share (its counter and `ClicksCounted`), and the (link, visitor)
   pairs this batch takes to the self-click threshold.

The click table's ids and keys compare bytewise (`analytics.fields.BytewiseCharField`).

`record._visit_key` computes the same key in Python (the first 16 hex digits of
md5("link:visitor:hour"), the hour counted from 1970), so both paths agree on
every key they store.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict

import psycopg2
from django.db import DataError, IntegrityError, connection, transaction

from analytics.clicks.bots import is_bot
from analytics.models import ClickEvent
from analytics.rollups.facts import Fact, click_metrics
from campaigns.models import Share, TrackedLink

log = logging.getLogger(__name__)

FIELDS = ("c", "o", "l", "s", "m", "k", "t", "v", "r", "g", "u")  # record.STREAM_FIELDS
SEPARATOR = b"\x1f"
_SEPARATORS = len(FIELDS) - 1
_COPY_SPECIAL = (b"\\", b"\t", b"\r")  # and a line break inside a value

_CLICKS = ClickEvent._meta.db_table


def copy_rows(values: list[bytes]) -> tuple[bytes, int]:
    """COPY text for the well-formed values and how many were dropped as malformed."""
    kept = [value for value in values if value.count(SEPARATOR) == _SEPARATORS]
    blob = b"\n".join(kept)
    if blob.count(b"\n") > len(kept) - 1 or any(special in blob for special in _COPY_SPECIAL):
        # A header carried a backslash, tab or line break: escape value by value.
        blob = b"\n".join(
            value.replace(b"\\", b"\\\\")
            .replace(b"\t", b"\\t")
            .replace(b"\n", b"\\n")
            .replace(b"\r", b"\\r")
            for value in kept
        )
    # PostgreSQL text holds neither NUL nor invalid UTF-8 (the Python path replaces it too).
    blob = blob.replace(b"\x00", b"").decode("utf-8", "replace").encode()
    return blob.replace(SEPARATOR, b"\t") + (b"\n" if kept else b""), len(values) - len(kept)


def _at_most(column: str, characters: int) -> str:
    """SQL: the text cut to the column's length, as `Click.from_stream` cuts it. Only a
    value longer in bytes can be too long in characters, and counting its bytes is free:
    counting the characters of every value (`left`) cost 2% of a batch."""
    return f"CASE WHEN octet_length({column}) <= {characters} THEN {column} ELSE left({column}, {characters}) END"


# How many clicks were stored before this batch under a visit key: one probe of the
# (organization, visit_key) index; a correlated subquery keeps it a probe whatever the
# table's statistics say. The key must be a column of the window's subquery (`k`, or
# `k0`: the key of the hour before, the pair's self-click window): an expression there
# would be pulled into the probe, which then cannot use the index.
_STORED = f"(SELECT count(*) FROM {_CLICKS} e WHERE e.organization_id = x.o AND e.visit_key = {{}})"  # noqa: S608 (a constant table name)
_LIVE = f"""
CREATE TEMP TABLE click_live ON COMMIT DROP AS
WITH links AS (
    SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS links (id, organization_id)
), live AS (
    SELECT b.o, b.l, b.s, {_at_most("b.c", 24)} AS c, b.t, {_at_most("b.v", 32)} AS v,
        {_at_most("b.r", 500)} AS r, {_at_most("b.g", 2)} AS g, b.u = ANY(%s) AS bot
    FROM click_batch b JOIN links ON links.id = b.l AND links.organization_id = b.o
    WHERE b.c <> ''
), marked AS (
    SELECT live.*,
        CASE WHEN bot THEN '' ELSE left(md5(l || ':' || v || ':' || (t / 3600000)), 16) END AS k,
        CASE WHEN bot THEN '' ELSE left(md5(l || ':' || v || ':' || (t / 3600000 - 1)), 16) END
            AS k0,
        lag(t) OVER pair IS NULL OR lag(t) OVER pair / 3600000 <> t / 3600000 AS first_of_visit,
        lead(t) OVER pair IS NULL AS latest,
        row_number() OVER pair AS pair_clicks  -- on the latest click: all of its pair's
    FROM live
    WINDOW pair AS (PARTITION BY o, l, v COLLATE "C" ORDER BY t, c COLLATE "C")
)
SELECT x.*,
    CASE WHEN NOT x.bot AND (x.first_of_visit OR x.latest) THEN {_STORED.format("x.k")} END AS n,
    CASE WHEN NOT x.bot AND x.latest THEN {_STORED.format("x.k0")} END AS n0
FROM marked x
"""  # noqa: S608 (table names are constants; values are parameters)
# Usually no click id of the batch is stored already or held twice: then a plain insert
# takes every row (the unique index still checks each id as it goes in), and the
# inserted rows are `click_live`'s, read in place. ON CONFLICT would probe the index once
# more a row, and RETURNING copy every row once more: a third of the insert, together.
_ROWS = f"""
    INSERT INTO {_CLICKS} (organization_id, link_id, share_id, click_id, clicked_at,
        visitor_hash, visit_key, referer, country, is_bot, is_unique)
    SELECT o, l, s, c, to_timestamp(t::float8 / 1000), v, k, r, g, bot,
        NOT bot AND first_of_visit AND n = 0
    FROM click_live
    ORDER BY o, c COLLATE "C", first_of_visit DESC
"""  # noqa: S608 (a constant table name)
_INSERTED = """(
    SELECT o AS organization_id, s AS share_id, c AS click_id,
        to_timestamp(t::float8 / 1000) AS clicked_at, k AS visit_key, bot AS is_bot,
        NOT bot AND first_of_visit AND n = 0 AS is_unique
    FROM click_live
) AS click_new"""
# When an id was stored already (a batch delivered again) or comes twice (a line shipped
# twice), the plain insert fails, is rolled back to its savepoint and done again: ids
# stored already are skipped, the copy of a twice-held id that may open the visit goes in
# (the order), and exactly the rows inserted go to `click_new`.
_INSERT_RETURNING = f"""
CREATE TEMP TABLE click_new ON COMMIT DROP AS
WITH inserted AS ({_ROWS}
    ON CONFLICT (organization_id, click_id) DO NOTHING
    RETURNING organization_id, share_id, click_id, clicked_at, visit_key, is_bot, is_unique
)
SELECT * FROM inserted
"""  # noqa: S608 (built of constants)
_FACTS = """
SELECT share_id, date_bin('15 minutes', clicked_at, TIMESTAMPTZ '1970-01-01 00:00Z'), is_bot,
    is_unique, count(*)
FROM {new} GROUP BY 1, 2, 3, 4
"""
_UNIQUE = """
SELECT organization_id, share_id, count(*) FROM {new} WHERE is_unique GROUP BY 1, 2
"""
# A pair's window is its latest click's hour and the hour before (record.SELF_CLICK_BURST).
# Only a pair whose stored clicks plus its clicks in this batch reach the threshold can
# cross it (the batch adds at most `pair_clicks`): those few are counted exactly, from
# the rows this batch inserted under their two keys.
_BURSTS = """
WITH candidates AS (
    SELECT x.o, x.s, x.k, x.k0, x.n + x.n0 AS stored_before
    FROM click_live x
    WHERE x.latest AND NOT x.bot AND x.n + x.n0 < %s AND x.n + x.n0 + x.pair_clicks >= %s
), added AS (
    SELECT organization_id AS o, visit_key::text AS k, count(*) AS n
    FROM {new}
    WHERE NOT is_bot AND (organization_id, visit_key::text) IN (
        SELECT o, k FROM candidates UNION SELECT o, k0 FROM candidates
    )
    GROUP BY 1, 2
)
SELECT c.o, c.s, c.stored_before, (coalesce(a.n, 0) + coalesce(a0.n, 0))::bigint AS added
FROM candidates c
LEFT JOIN added a ON a.o = c.o AND a.k = c.k
LEFT JOIN added a0 ON a0.o = c.o AND a0.k = c.k0
WHERE c.stored_before + coalesce(a.n, 0) + coalesce(a0.n, 0) >= %s
"""


# How the batch's statements are planned, for their duration only. They run once per
# batch over a few thousand rows, so compiling them (JIT) costs far more than it saves.
# Their scratch tables are new, and every batch is one organization or a few: guessing,
# the planner can pick a merge or nested-loop join on the organization alone and compare
# every click with every link or key of it. Every join here is on an equality: hash joins.
# A probe of the click table is an index scan even when the table looked empty when its
# statistics were last taken (the scratch tables have no index: scanning them is all
# there is).
# A batch's sorts (up to 40,000 rows of about 200 bytes) fit in 32 MB, not in the default 4 MB.
# (Text sort keys are compared bytewise, COLLATE "C": ids and hashes have no language, and
# ties between clicks break by click id as Python's `record.py` breaks them.)
_BATCH_PLANNING = (
    "SET LOCAL jit = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_nestloop = off; "
    "SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'"
)
_USUAL_PLANNING = (
    "RESET jit; RESET enable_mergejoin; RESET enable_nestloop; RESET enable_seqscan; RESET work_mem"
)


def _insert(cursor) -> str:
    """Insert `click_live`'s rows; returns where the inserted rows are read from."""
    try:
        with transaction.atomic():  # a savepoint: a failed insert leaves the batch usable
            cursor.execute(_ROWS)
    except IntegrityError:
        cursor.execute(_INSERT_RETURNING)
        return "click_new"
    return _INSERTED


class BatchCounts:
    """What one batch changed: rows inserted, and what the counters and events need."""

    def __init__(self, inserted, facts, unique, bursts):
        self.inserted: int = inserted
        self.facts: list[Fact] = facts
        # {organization: {share: (membership, unique clicks added)}}
        self.unique: dict[int, dict[int, tuple[int, int]]] = unique
        # (organization, share, membership, same-visitor clicks in the window now)
        self.bursts: list[tuple[int, int, int, int]] = bursts


# A value whose numbers are not numbers (or out of range) fails the typed COPY or the
# insert; COPY's errors reach us unwrapped by Django. The caller then checks the batch
# value by value (`record.checked_values`) and stores the rest.
NOT_CLICKS = (DataError, psycopg2.DataError)


def batch_store(
    values: list[bytes], *, burst: int, rows: bool = False
) -> tuple[BatchCounts, list[tuple]]:
    """Store packed clicks in the caller's transaction; returns what changed and, with
    `rows`, the (organization, click id, is_bot, is_unique) of every row inserted.
    Raises one of NOT_CLICKS, having written nothing, when a value is not a click."""
    data, malformed = copy_rows(values)
    if malformed:
        log.error("%d click stream entries are not clicks; dropped", malformed)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_BATCH_PLANNING)
        cursor.execute(
            "CREATE TEMP TABLE click_batch (c text, o bigint, l bigint, s bigint, m text, "
            "k text, t bigint, v text, r text, g text, u text) ON COMMIT DROP"
        )
        cursor.copy_expert("COPY click_batch FROM STDIN", io.BytesIO(data))
        cursor.execute("SELECT DISTINCT u FROM click_batch")
        bots = [agent for (agent,) in cursor.fetchall() if is_bot(agent)]
        # The links still there, in the organization each click names (a few hundred
        # rows at most: asked here, the planner cannot misjudge them behind RLS).
        cursor.execute("SELECT DISTINCT l FROM click_batch")
        links = list(
            TrackedLink.objects.filter(pk__in=[link for (link,) in cursor.fetchall()]).values_list(
                "id", "organization_id"
            )
        )
        cursor.execute(_LIVE, [[link for link, _o in links], [org for _l, org in links], bots])
        new = _insert(cursor)
        inserted = cursor.rowcount
        cursor.execute(_FACTS.format(new=new))
        facts = [
            Fact(share_id, quarter, click_metrics(is_bot=bot, is_unique=unique, count=count))
            for share_id, quarter, bot, unique, count in cursor.fetchall()
        ]
        cursor.execute(_UNIQUE.format(new=new))
        unique_rows = cursor.fetchall()
        cursor.execute(_BURSTS.format(new=new), [burst, burst, burst])
        burst_rows = cursor.fetchall()
        advocate = dict(
            Share.objects.filter(
                pk__in={row[1] for row in unique_rows} | {row[1] for row in burst_rows}
            ).values_list("id", "membership_id")
        )
        unique: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        for organization_id, share_id, count in unique_rows:
            unique[organization_id][share_id] = (advocate[share_id], count)
        bursts = [
            (organization_id, share_id, advocate[share_id], before + added)
            for organization_id, share_id, before, added in burst_rows
        ]
        inserted_rows = []
        if rows:
            cursor.execute(f"SELECT organization_id, click_id, is_bot, is_unique FROM {new}")  # noqa: S608
            inserted_rows = cursor.fetchall()
        # Another batch may follow in this transaction.
        cursor.execute(
            "DROP TABLE click_live, click_batch" + (", click_new" if new != _INSERTED else "")
        )
        cursor.execute(_USUAL_PLANNING)
    return BatchCounts(inserted, facts, dict(unique), bursts), inserted_rows
