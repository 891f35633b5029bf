"""The click journal: where a click goes when Redis cannot take it in time.

The redirect appends one JSON line per click to a file of its own process
(`<host>-<pid>.clicks` under `CHORUS_CLICK_JOURNAL_DIR`, default `var/click-journal`),
opened with O_APPEND: one `write()` per click, no network, and the bytes are the
kernel's as soon as it returns, so a killed worker loses nothing it answered.

The flusher (`flush.py`) drains every journal on its machine before reading the
stream: it stores complete lines through `clicks_record` (click ids make a line
stored twice count once), then moves the file's read offset on (`<file>.offset`,
replaced atomically) only after the commit. A drained file whose writer is gone
is deleted; a writer whose file was deleted opens a new one.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

SUFFIX = ".clicks"
DRAIN_BATCH = 5000

_lock = threading.Lock()
_open: dict[str, int] = {}  # "pid:folder" -> fd (a forked child opens its own)


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


def journal_append(fields: dict[str, str | int]) -> None:
    """Keep one click (the stream entry's fields) on this machine's disk."""
    line = (json.dumps(fields, separators=(",", ":")) + "\n").encode()
    with _lock:
        os.write(_fd(), line)


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


def journal_drain(store: Callable[[list[dict[str, str]]], int]) -> int:
    """Hand every complete, not yet drained line to `store` in batches; returns what
    `store` says it stored.

    `store` must commit before returning: the offset moves on only after it."""
    folder = journal_dir()
    if not folder.is_dir():
        return 0
    total = 0
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        marker = path.with_suffix(".offset")
        offset = int(marker.read_text() or 0) if marker.exists() else 0
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = handle.read()
        end = data.rfind(b"\n") + 1  # a line being written now waits for the next run
        lines = data[:end].splitlines()
        for start in range(0, len(lines), DRAIN_BATCH):
            batch = []
            for raw in lines[start : start + DRAIN_BATCH]:
                try:
                    batch.append({key: str(value) for key, value in json.loads(raw).items()})
                except (ValueError, AttributeError):
                    log.error("click journal %s holds a line that is not a click; dropped", path)
            total += store(batch)
        offset += end
        if end:
            scratch = marker.with_suffix(".offset-new")
            scratch.write_text(str(offset))
            scratch.replace(marker)
        if offset >= path.stat().st_size and _writer_gone(path):
            path.unlink(missing_ok=True)
            marker.unlink(missing_ok=True)
    return total
