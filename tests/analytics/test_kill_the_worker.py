"""A flusher killed with SIGKILL in the middle of a batch loses nothing and counts
nothing twice. A real `manage.py flush_clicks` process works against the real
Redis and this test's database; it stops at a chosen point of its second batch
(a failure drill option), we kill -9 it there, and run a fresh one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from analytics.clicks import journal
from analytics.clicks.flush import stream_status
from analytics.models import ClickEvent
from campaigns.models import Share

from .conftest import stream_entries

pytestmark = pytest.mark.django_db(transaction=True)

CLICKS = 230
BATCH = 50


@contextmanager
def database_url_for_a_subprocess():
    """The URL of the database this test uses, reachable from another process.

    On SQLite the test database lives in this process's memory: it is copied to a
    file for the subprocess, and the file copied back afterwards."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        yield f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        return
    if "memory" not in str(db["NAME"]):
        yield f"sqlite:///{db['NAME']}"
        return
    connection.ensure_connection()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clicks.sqlite3"
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        yield f"sqlite:///{path}"
        copy = sqlite3.connect(path)
        copy.backup(connection.connection)
        copy.close()


def _flusher(database_url: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    log = tempfile.TemporaryFile(mode="w+")  # its log, shown when it does not do what we expect
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "flush_clicks",
            f"--batch-size={BATCH}",
            f"--stream={settings.CHORUS_CLICK_STREAM}",
            *args,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    process.log = log
    return process


def _log(process) -> str:
    process.log.seek(0)
    return process.log.read()[-3000:]


@pytest.mark.parametrize("stage", ["read", "committed"])
def test_a_flusher_killed_mid_batch_loses_nothing_and_counts_nothing_twice(
    stage, wsgi, click_redis, link_a, monkeypatch
):
    monkeypatch.setattr(journal, "ENTRY_CLICKS", 10)  # 23 stream entries, 5 to a batch
    for index in range(CLICKS):
        wsgi(f"/r/{link_a.code}", ip=f"10.0.{index // 250}.{index % 250}")
    sent = {entry["c"] for entry in stream_entries(click_redis)}
    assert len(sent) == CLICKS

    with database_url_for_a_subprocess() as database_url:
        doomed = _flusher(database_url, f"--stop-at={stage}", "--stop-batch=2")
        line = doomed.stdout.readline()
        assert line.startswith(f"drill: stopped at {stage} of batch 2"), _log(doomed)
        os.kill(doomed.pid, signal.SIGKILL)
        assert doomed.wait() == -signal.SIGKILL
        doomed.stdout.close()

        # Batch 1 is stored and trimmed; batch 2 (stored or not) is still at the head.
        assert stream_status() == {"waiting": CLICKS - BATCH}

        survivor = _flusher(database_url)
        output, _ = survivor.communicate()
        assert survivor.returncode == 0, _log(survivor)
        assert output.startswith(
            f"stored {CLICKS - 2 * BATCH if stage == 'committed' else CLICKS - BATCH} clicks"
        )

    stored = list(
        ClickEvent.objects.for_org(link_a.organization).values_list("click_id", flat=True)
    )
    assert len(stored) == CLICKS
    assert set(stored) == sent
    assert (
        Share.objects.get(pk=link_a.share_id).clicks == CLICKS
    )  # every visitor different, all unique
    assert stream_status() == {"waiting": 0}
