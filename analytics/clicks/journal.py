"""The click journal: where the redirect puts every click, and how clicks leave it.

The redirect appends one line per click (the click's packed stream value, see
`record.stream_value`) to a file of its own process (`<host>-<pid>.clicks` under
`CHORUS_CLICK_JOURNAL_DIR`, default `var/click-journal`), opened with O_APPEND:
one `write()` per click, no network, and the bytes are the kernel's as soon as it
returns, so a killed worker loses nothing it answered. The request never waits on
Redis for a click (DESIGN.md §5: a Redis round trip per click costs a third of the
redirect's speed).

Two readers move lines on, each under an exclusive `flock` of the file, so one file
has one reader at a time:

- The shipper (`journal_ship`), a thread of each web process, every
  `CHORUS_CLICK_SHIP_SECONDS`: it sends its process's new lines, and those of any
  file whose writer has died, to the Redis stream in one pipeline, up to
  `ENTRY_CLICKS` lines to a stream entry.
- The flusher (`journal_drain`) on the same machine stores lines straight into the
  database, for when Redis is down or the web process is gone.

Either reader moves the file's read offset on (`<file>.offset`, replaced
atomically) only after the lines are in Redis or committed. Killed in between, the
lines go again, and click ids make a click delivered twice count once. A drained
file whose writer is gone is deleted; a writer whose file was deleted opens a new one.

Lines of the older JSON form (`{"c": ..., ...}`), left by a previous release, are
read too.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from analytics.clicks.record import stream_value

log = logging.getLogger(__name__)

SUFFIX = ".clicks"
DRAIN_BATCH = 5000
SHIP_BATCH = 5000
READ_BYTES = 4 * 1024 * 1024  # about 16,000 clicks
SHIP_CHUNKS = 4  # a shipper's round sends at most this many chunks of a file
# A stream entry the shipper adds holds up to this many clicks, one packed value a line
# (field "b"): Redis, the pipeline and the flusher's read handle one entry, not 1,000.
ENTRY_CLICKS = 1000

_lock = threading.Lock()
_open: dict[str, int] = {}  # "pid:folder" -> fd (a forked child opens its own)
_shipper: dict[int, threading.Thread] = {}  # pid -> this process's shipper


def journal_dir() -> Path:
    configured = getattr(settings, "CHORUS_CLICK_JOURNAL_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "click-journal"


def _fd() -> int:
    folder = journal_dir()
    key = f"{os.getpid()}:{folder}"
    fd = _open.get(key)
    if fd is not None and os.fstat(fd).st_nlink > 0:
        return fd
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{socket.gethostname()}-{os.getpid()}{SUFFIX}"
    new = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for old in _open.values():
        os.close(old)  # its file was drained and deleted, or a fork's parent's
    _open.clear()
    _open[key] = new
    return new


def journal_append(value: str, *, ship: bool = False) -> None:
    """Keep one click (its packed stream value) on this machine's disk; with `ship`,
    make sure this process's shipper is running."""
    line = value.replace("\n", "").replace("\r", "").encode() + b"\n"
    with _lock:
        os.write(_fd(), line)
    if ship and os.getpid() not in _shipper:
        _start_shipper()


def _writer_gone(path: Path) -> bool:
    host, _, pid = path.stem.rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's file on a shared disk: its own flusher decides
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _packed(raw: bytes, path: Path) -> bytes | None:
    if not raw.startswith(b"{"):
        return raw
    try:  # the older JSON form
        return stream_value(json.loads(raw)).encode()
    except (ValueError, KeyError, TypeError):
        log.error("click journal %s holds a line that is not a click; dropped", path)
        return None


def _consume(
    path: Path, move: Callable[[list[bytes]], int], batch: int, max_chunks: int = 1_000_000
) -> int | None:
    """Hand the file's complete, not yet moved lines to `move` (which must have them
    safe before it returns), up to `max_chunks` pieces of `READ_BYTES`; None when another
    reader holds the file."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return 0
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        if not os.path.exists(path):
            return 0  # drained and deleted by the reader that held it before us
        marker = path.with_suffix(".offset")
        offset = int(marker.read_text() or 0) if marker.exists() else 0
        moved = 0
        # A chunk at a time: a journal that grew through a long Redis outage is read in
        # pieces, and the offset moves on after each one.
        for _round in range(max_chunks):
            handle.seek(offset)
            data = handle.read(READ_BYTES)
            end = data.rfind(b"\n") + 1  # a line being written now waits for the next run
            if not end:
                if len(data) < READ_BYTES:
                    break
                log.error("click journal %s holds a line too long to be a click; dropped", path)
                end = len(data)
            lines = data[:end].splitlines()
            for start in range(0, len(lines), batch):
                values = [_packed(raw, path) for raw in lines[start : start + batch]]
                moved += move([value for value in values if value])
            offset += end
            scratch = marker.with_suffix(".offset-new")
            scratch.write_text(str(offset))
            scratch.replace(marker)
        if offset >= os.fstat(handle.fileno()).st_size and _writer_gone(path):
            path.unlink(missing_ok=True)
            marker.unlink(missing_ok=True)
        return moved


def _journals(*, own_only: bool) -> list[Path]:
    folder = journal_dir()
    if not folder.is_dir():
        return []
    own = folder / f"{socket.gethostname()}-{os.getpid()}{SUFFIX}"
    if own_only:
        return [own] if own.exists() else []
    return sorted(folder.glob(f"*{SUFFIX}"))


def journal_drain(store: Callable[[list[bytes]], int]) -> int:
    """Hand every journal's lines on this machine to `store` (packed values, in
    batches); returns what `store` says it stored. `store` must commit before returning."""
    total = 0
    for path in _journals(own_only=False):
        total += _consume(path, store, DRAIN_BATCH) or 0
    return total


def journal_ship(client, stream: str, *, orphans: bool = True) -> int:
    """Send this process's new lines (and, with `orphans`, those of every journal whose
    writer has died) to the Redis stream; returns how many clicks were sent."""
    paths = _journals(own_only=True)
    if orphans:
        paths += [path for path in _journals(own_only=False) if _writer_gone(path)]

    def send(values: list[bytes]) -> int:
        pipe = client.pipeline(transaction=False)
        for start in range(0, len(values), ENTRY_CLICKS):
            pipe.xadd(stream, {"b": b"\n".join(values[start : start + ENTRY_CLICKS])})
        pipe.execute()
        return len(values)

    return sum(_consume(path, send, SHIP_BATCH, SHIP_CHUNKS) or 0 for path in paths)


def _ship_forever() -> None:
    from analytics.clicks.stream import click_stream, redis_client

    pid = os.getpid()
    rounds = 0
    while True:
        time.sleep(getattr(settings, "CHORUS_CLICK_SHIP_SECONDS", 0.5) or 0.5)
        if _shipper.get(pid) is not threading.current_thread():
            return
        client = redis_client()
        if client is None:
            continue
        try:
            # Files of dead writers are looked for every 20th round: a glob and a
            # signal per file is more than the usual round's work.
            journal_ship(client, click_stream(), orphans=rounds % 20 == 0)
        except Exception:  # Redis down: the lines wait on disk for the next round
            log.warning("shipping clicks to Redis failed; they wait in the journal", exc_info=True)
        rounds += 1


def _start_shipper() -> None:
    with _lock:
        if os.getpid() in _shipper:
            return
        thread = threading.Thread(target=_ship_forever, name="chorus-click-shipper", daemon=True)
        _shipper.clear()  # a fork's parent's thread is not ours
        _shipper[os.getpid()] = thread
    thread.start()


def stop_shipper() -> None:
    """End this process's shipper (tests: the next test has settings of its own)."""
    with _lock:
        thread = _shipper.pop(os.getpid(), None)
        _shipper.clear()
    if thread is not None:
        thread.join(timeout=30)
