"""A real Celery worker for the tests marked `worker`.

The `celery_worker` fixture starts `celery -A advocacy worker` as a subprocess on the
Redis broker, against this test session's own database (pytest-django's `test_…`
database on PostgreSQL, so the test uses `transactional_db` and commits for real), and
stops it after the test. Settings the test changed that the worker must share (the
sandbox's address, the click stream's name) are handed over at start. Without Redis or
PostgreSQL the tests skip and say why: CI sets both, so they run there. A worker that
fails to start (it exits, or is not ready in time) is stopped before the failure is
reported: no test leaves a worker process behind (tests/test_worker_fixture.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# What the worker must see as the test set it (JSON-serializable values only).
MIRRORED_SETTINGS = (
    "SANDBOX_URL",
    "SOCIAL_PROVIDERS",
    "LINKEDIN_API_VERSION",
    "SOCIAL_HTTP_TIMEOUT",
    "SOCIAL_REDIS_URL",
    "REDIS_URL",
    "CHORUS_CLICK_STREAM",
    "CHORUS_CLICK_JOURNAL_DIR",
    "CONTENT_FETCHER_ALLOW_LOOPBACK",
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "DIGEST_SEND_HOUR",
    "DIGEST_WEEKDAY",
)
# Waiting is not timing: these only stop a broken run from hanging for ever.
START_WITHIN = 60.0
DONE_WITHIN = 60.0


def skip_reason() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "needs a real Celery worker on Redis: set REDIS_URL (CI does)"
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return "needs a real Celery worker on Redis: set CELERY_BROKER_URL to Redis (CI does)"
    if not settings.IS_POSTGRES:
        return (
            "needs PostgreSQL: a worker process cannot see SQLite's in-memory test database "
            "(set DATABASE_URL; CI does)"
        )
    return None


def _database_url() -> str:
    """DATABASE_URL with the test session's database name (pytest-django's `test_…`)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class Worker:
    def __init__(self, overrides: dict, start_within: float = START_WITHIN) -> None:
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.log = Path(tempfile.mkstemp(prefix="chorus-worker-", suffix=".log")[1])
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "CHORUS_WORKER_OVERRIDES": json.dumps(overrides),
            "CELERY_TASK_ALWAYS_EAGER": "false",  # tasks it enqueues go through the broker
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "advocacy", "worker"),
            *("--pool=solo", "--queues=celery,clicks", f"--hostname={self.name}"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "--purge"),
            "--loglevel=INFO",
        ]
        self.process: subprocess.Popen | None = None
        try:
            with self.log.open("wb") as out:
                self.process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            self.wait_for(lambda: " ready." in self.output(), "the worker to start", start_within)
        except BaseException:
            # Not started (or interrupted): nobody else holds this process, so stop it here.
            self.stop(grace=5)
            raise

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(
        self, done: Callable[[], object], what: str, within: float = DONE_WITHIN
    ) -> object:
        """Poll `done()` until it returns something truthy; fail with the worker's log."""
        deadline = time.monotonic() + within
        while True:
            result = done()
            if result:
                return result
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited while waiting for {what}:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}:\n{self.tail()}")
            time.sleep(0.1)

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def stop(self, grace: float = 20) -> None:
        """Warm shutdown (the task at hand finishes), killed if still there after `grace`."""
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            self.log.unlink(missing_ok=True)


@pytest.fixture
def celery_worker(transactional_db, settings) -> Iterator[Callable[[], Worker]]:
    """`celery_worker()` starts the worker (after the test set its settings); it is
    stopped after the test. Tasks this test enqueues go to the broker, not run inline."""
    if reason := skip_reason():
        pytest.skip(reason)
    from advocacy.celery import app

    started: list[Worker] = []
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False

    def start() -> Worker:
        overrides = {
            name: getattr(settings, name) for name in MIRRORED_SETTINGS if hasattr(settings, name)
        }
        started.append(Worker(overrides))  # a worker that fails to start stops itself
        return started[-1]

    try:
        yield start
    finally:
        app.conf.task_always_eager = eager
        with contextlib.ExitStack() as stops:  # every worker is stopped, even if one stop fails
            for worker in started:
                stops.callback(worker.stop)
