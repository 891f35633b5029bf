"""The base of every Celery task: a task that meets "database is locked" runs again.

Only the embedded default (SQLite) says that: one writer at a time, and a worker,
beat and the web server all write. WAL and a busy timeout make it rare; when a
lock outlasts the timeout anyway, the task runs again a few times after a short,
jittered pause instead of failing. Tasks are idempotent by design, so a rerun is
harmless. Inside an enclosing transaction (an eager task in a request or a test)
nothing is retried: the transaction is already broken and its owner decides.
"""

from __future__ import annotations

import logging
import random
import time

from celery import Task
from django.db import OperationalError, connection

log = logging.getLogger(__name__)

LOCKED_RETRIES = 5
LOCKED_PAUSE = 0.5  # seconds, doubled per attempt, plus jitter


def is_database_locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class ChorusTask(Task):
    abstract = True

    def __call__(self, *args, **kwargs):
        attempt = 0
        while True:
            try:
                return super().__call__(*args, **kwargs)
            except OperationalError as exc:
                if (
                    not is_database_locked(exc)
                    or attempt >= LOCKED_RETRIES
                    or connection.in_atomic_block
                ):
                    raise
                attempt += 1
                pause = LOCKED_PAUSE * 2 ** (attempt - 1) * (1 + random.random())
                log.info("%s: database is locked, running again in %.1fs", self.name, pause)
                time.sleep(pause)
