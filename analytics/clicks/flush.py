"""The click flusher: Redis stream → click rows, at least once in, exactly once counted.

First it drains this machine's click journals (clicks the redirect kept on disk
while Redis was refused or hung, see journal.py), then the stream.

It reads the stream through a consumer group in batches (XREADGROUP), stores
each batch in one transaction (`clicks_record`), and acknowledges (XACK, and
XDEL to keep the stream short) only after that transaction has committed.

- Killed before the commit: nothing was stored, the entries are still pending,
  and the next flusher reads its predecessor's pending entries first.
- Killed after the commit, before the ack: the entries come again, their click
  ids are already stored, and `clicks_record` counts only rows it inserted.

Only one flusher runs at a time, under a lock that dies with its holder (a
PostgreSQL advisory lock, or a file lock on one machine with SQLite), so a
new flusher may take over pending entries at once instead of waiting for a
timeout, and uniqueness checks never race another flusher.
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
from redis.exceptions import RedisError, ResponseError

from advocacy.tenancy.context import system_context
from analytics.clicks.journal import journal_drain
from analytics.clicks.record import Click, clicks_record
from analytics.clicks.stream import FLUSH_CONSUMER, FLUSH_GROUP, click_stream, redis_client

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
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


def ensure_group(client) -> None:
    try:
        client.xgroup_create(click_stream(), FLUSH_GROUP, id="0", mkstream=True)
    except ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


def _parse(entries) -> tuple[list[bytes], list[Click]]:
    ids, clicks = [], []
    for entry_id, fields in entries:
        ids.append(entry_id)
        if not fields:
            continue  # deleted from the stream while pending: nothing to store
        try:
            clicks.append(Click.from_stream(fields))
        except (KeyError, ValueError):
            log.error("click stream entry %s is not a click; dropped", entry_id)
    return ids, clicks


def _store_journal_lines(lines: list[dict[str, str]]) -> int:
    clicks = []
    for fields in lines:
        try:
            clicks.append(Click.from_fields(fields))
        except (KeyError, ValueError):
            log.error("click journal line is not a click; dropped")
    with system_context("click flush (journal)"):
        return len(clicks_record(clicks))


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
    client = redis_client()
    with flush_lock() as held:
        if not held:
            return 0
        stored = journal_drain(_store_journal_lines)
        if client is None:
            return stored  # no Redis: the redirect stored the other clicks itself
        try:
            stored += _flush_stream(client, batch_size, max_seconds, on_stage)
        except RedisError as error:
            # Redis is down: the redirect keeps clicks in the journal meanwhile, and the
            # entries already in the stream wait there for a later run.
            log.warning("click stream unreachable (%s); journals drained only", error)
    return stored


def _flush_stream(client, batch_size: int, max_seconds: float, on_stage) -> int:
    stored = 0
    ensure_group(client)
    deadline = time.monotonic() + max_seconds
    start_id = "0"  # our own pending entries first: a predecessor died holding them
    batch_number = 0
    while time.monotonic() < deadline:
        response = client.xreadgroup(
            FLUSH_GROUP, FLUSH_CONSUMER, {click_stream(): start_id}, count=batch_size
        )
        entries = response[0][1] if response else []
        if not entries:
            if start_id == "0":
                start_id = ">"
                continue
            break
        batch_number += 1
        ids, clicks = _parse(entries)
        if on_stage:
            on_stage("read", batch_number)
        with system_context("click flush"):
            stored += len(clicks_record(clicks))
        if on_stage:
            on_stage("committed", batch_number)
        pipe = client.pipeline(transaction=True)
        pipe.xack(click_stream(), FLUSH_GROUP, *ids)
        pipe.xdel(click_stream(), *ids)
        pipe.execute()
    return stored


def stream_status() -> dict[str, int]:
    """Entries waiting in the stream and entries delivered but not yet acknowledged."""
    client = redis_client()
    if client is None:
        return {"waiting": 0, "pending": 0}
    ensure_group(client)
    pending = client.xpending(click_stream(), FLUSH_GROUP)["pending"]
    return {"waiting": client.xlen(click_stream()) - pending, "pending": pending}
