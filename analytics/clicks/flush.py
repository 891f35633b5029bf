"""The click flusher: Redis stream → click rows, at least once in, exactly once counted.

First it drains this machine's click journals (what the web processes' shippers
have not sent to the stream yet, see journal.py), then the stream.

It reads the head of the stream in batches of about `BATCH_SIZE` clicks (XRANGE, page
by page: a shipper's entry holds up to 1,000 clicks), stores each batch in one
transaction (`clicks_record`), and only after that transaction has committed
trims the stream up to the batch's last entry (one XTRIM MINID, whatever the
batch size). So the stream holds exactly the entries not yet known stored, and
its head is where the next flusher starts.

- Killed before the commit: nothing was stored, the entries are still at the
  head of the stream, and the next flusher reads them first.
- Killed after the commit, before the trim: the entries come again, their click
  ids are already stored, and `clicks_record` counts only rows it inserted.

Only one flusher runs at a time, under a lock that dies with its holder (a
PostgreSQL advisory lock, or a file lock on one machine with SQLite), so the
head of the stream is one reader's, and uniqueness checks never race another
flusher.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from redis.exceptions import RedisError

from analytics.clicks.journal import journal_drain
from analytics.clicks.lanes import lanes_store
from analytics.clicks.record import Click
from analytics.clicks.stream import click_stream, flush_client

log = logging.getLogger(__name__)

BATCH_SIZE = 40000  # clicks; two lanes of about 20,000 each (lanes.py)
_ADVISORY_LOCK_KEY = 0x43686F7275730001  # "Chorus" + 1: the click flusher


@contextmanager
def flush_lock() -> Iterator[bool]:
    """Yields True when this process is now the only flusher."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_LOCK_KEY])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_LOCK_KEY])
        return
    # One lock per database file: flushers of other databases on this machine are no rivals.
    database = hashlib.blake2b(
        str(connection.settings_dict["NAME"]).encode(), digest_size=6
    ).hexdigest()
    path = settings.VAR_DIR / f"click-flush-{database}.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _values(entries) -> list[bytes]:
    """The packed values of raw XRANGE entries: a shipper's entry holds many, one a line
    (field "b"); an entry of one click holds it as "x"; entries of the older eleven-field
    form are packed here (see `Click.from_stream`)."""
    values = []
    for entry_id, fields in entries:
        if len(fields) == 2 and fields[0] == b"b":
            values.extend(fields[1].split(b"\n"))
            continue
        if len(fields) == 2 and fields[0] == b"x":
            values.append(fields[1])
            continue
        try:
            values.append(
                Click.from_stream(dict(zip(fields[::2], fields[1::2], strict=False)))
                .packed()
                .encode()
            )
        except (KeyError, ValueError):
            log.error("click stream entry %s is not a click; dropped", entry_id)
    return values


def _entry_clicks(fields) -> int:
    return fields[1].count(b"\n") + 1 if len(fields) == 2 and fields[0] == b"b" else 1


def _read_batch(client, batch_size: int) -> tuple[list, int]:
    """The entries at the head of the stream that hold about `batch_size` clicks (at least
    one entry), read page by page; and how many clicks they hold."""
    entries: list = []
    clicks = 0
    start = "-"
    page = 64
    while clicks < batch_size:
        got = client.xrange(click_stream(), start, "+", count=page)
        for entry in got:
            entries.append(entry)
            clicks += _entry_clicks(entry[1])
            if clicks >= batch_size:
                break
        if len(got) < page or clicks >= batch_size:
            break
        start = b"(" + entries[-1][0]
        # Guess how many entries hold the rest from the clicks an entry held so far.
        page = max(1, min(batch_size, (batch_size - clicks) * len(entries) // clicks + 1))
    return entries, clicks


def _after(entry_id: bytes) -> str:
    """The smallest stream id after `entry_id` (ids are "<milliseconds>-<sequence>")."""
    milliseconds, sequence = entry_id.decode().split("-")
    return f"{milliseconds}-{int(sequence) + 1}"


def _store_journal_lines(values: list[bytes]) -> int:
    return lanes_store(values, "click flush (journal)")


def flush_click_stream(
    *,
    batch_size: int = BATCH_SIZE,
    max_seconds: float = 20.0,
    on_stage: Callable[[str, int], None] | None = None,
) -> int:
    """Store what the stream holds (up to about `max_seconds`); returns the clicks newly stored.

    `on_stage(stage, batch_number)` is called after a batch is read ("read") and
    after it is committed ("committed"); failure drills kill the process there."""
    if connection.in_atomic_block:
        # The ack must follow a real commit, not the end of a savepoint.
        raise RuntimeError("flush_click_stream() must run outside any transaction")
    client = flush_client()
    with flush_lock() as held:
        if not held:
            return 0
        stored = journal_drain(_store_journal_lines)
        if client is None:
            return stored  # no Redis: the redirect stored the other clicks itself
        try:
            stored += _flush_stream(client, batch_size, max_seconds, on_stage)
        except RedisError as error:
            # Redis is down: new clicks wait in the journals (drained above), and the
            # entries already in the stream wait there for a later run.
            log.warning("click stream unreachable (%s); journals drained only", error)
    return stored


def _flush_stream(client, batch_size: int, max_seconds: float, on_stage) -> int:
    stored = 0
    deadline = time.monotonic() + max_seconds
    batch_number = 0
    while time.monotonic() < deadline:
        entries, _clicks = _read_batch(client, batch_size)
        if not entries:
            break
        batch_number += 1
        values = _values(entries)
        if on_stage:
            on_stage("read", batch_number)
        stored += lanes_store(values)
        if on_stage:
            on_stage("committed", batch_number)
        client.xtrim(click_stream(), minid=_after(entries[-1][0]), approximate=False)
    return stored


def stream_status() -> dict[str, int]:
    """Clicks in the stream not yet known stored (some may be stored already, by a
    flusher that died between its commit and its trim). Reads the stream page by page:
    an operator's question, not a hot path."""
    client = flush_client()
    if client is None:
        return {"waiting": 0}
    waiting, start = 0, "-"
    while True:
        page = client.xrange(click_stream(), start, "+", count=200)
        waiting += sum(_entry_clicks(fields) for _id, fields in page)
        if len(page) < 200:
            return {"waiting": waiting}
        start = b"(" + page[-1][0]
