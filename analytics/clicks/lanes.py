"""Storing a large batch of clicks in lanes: one database connection each, in parallel.

On PostgreSQL most of a batch's cost is the database's own work (the insert and the
visit-key probes, `bulk.py`), and one connection uses one CPU. A batch of at least
`LANE_MIN` clicks is therefore split by share into `CHORUS_CLICK_FLUSH_LANES` lanes
(default 2); the flusher's thread stores the first, a thread of its own each other
one, each in its own transaction. Everything a click is counted against stays in one
lane: its share's counter, its link's visit keys (link, visitor, hour) and its
(link, visitor) self-click window, so no two lanes ever ask about the same key. The
rollup rows both lanes add to (an organization's day) are locked in one order
(`rollups_add`), so one lane waits for the other at worst, never deadlocks.

The flusher trims the stream only after every lane committed. A lane that failed
leaves the batch at the head of the stream: the next flush reads it again, and the
lanes that did commit insert (and count) nothing twice, as after any crash.
Each lane publishes its own `ClicksCounted` per organization (a share is in one lane).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connection

from advocacy.tenancy.context import system_context
from analytics.clicks.record import STREAM_FIELDS, STREAM_SEPARATOR, packed_clicks_record

LANE_MIN = 2000  # below this a batch is one lane: a thread and a connection cost more
_SHARE_FIELD = STREAM_FIELDS.index("s")
_SEPARATOR = STREAM_SEPARATOR.encode()


def _lane_of(value: bytes, lanes: int) -> int:
    fields = value.split(_SEPARATOR, _SHARE_FIELD + 1)
    try:
        return int(fields[_SHARE_FIELD]) % lanes
    except (IndexError, ValueError):
        return 0  # not a click: the first lane logs and drops it


def _store(values: list[bytes], reason: str) -> int:
    with system_context(reason):
        return packed_clicks_record(values)


def lanes_store(values: list[bytes], reason: str = "click flush") -> int:
    """Store packed clicks, committed before returning; returns how many were new."""
    lanes = getattr(settings, "CHORUS_CLICK_FLUSH_LANES", 2)
    if connection.vendor != "postgresql" or lanes < 2 or len(values) < LANE_MIN:
        return _store(values, reason)
    parts: list[list[bytes]] = [[] for _ in range(lanes)]
    for value in values:
        parts[_lane_of(value, lanes)].append(value)
    results: list[int | BaseException] = [0] * lanes

    def lane(index: int) -> None:
        try:
            results[index] = _store(parts[index], f"{reason} (lane {index + 1})")
        except BaseException as error:  # handed to the flusher's thread, raised there
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    others = [threading.Thread(target=lane, args=(index,)) for index in range(1, lanes)]
    for thread in others:
        thread.start()
    try:
        results[0] = _store(parts[0], f"{reason} (lane 1)")
    finally:
        for thread in others:
            thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return sum(results)
