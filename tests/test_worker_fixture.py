"""The worker the `worker` tests start is never left running when it fails to start.

Seen from the machine: a Celery worker pointed at a broker nothing listens on keeps
retrying and never says it is ready; once the fixture gives up, that process is gone
(reaped, so the system no longer knows its id), not left behind for the rest of the run.
"""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from tests import worker as worker_module


def _port_nothing_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on leaving: nothing listens there


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_worker_that_cannot_reach_its_broker_is_not_left_running(monkeypatch, tmp_path):
    # The worker's own database is never reached here; any address will do for it to boot.
    monkeypatch.setenv(
        "DATABASE_URL", os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'w.db'}"
    )
    spawned: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        spawned.append(real_popen(*args, **kwargs))
        return spawned[-1]

    monkeypatch.setattr(worker_module.subprocess, "Popen", recording_popen)
    broker = f"redis://127.0.0.1:{_port_nothing_listens_on()}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", broker)  # Celery reads it before any setting

    with pytest.raises(AssertionError, match="gave up waiting for the worker to start"):
        worker_module.Worker({"CELERY_BROKER_URL": broker}, start_within=15)

    assert len(spawned) == 1, "the fixture started one worker process"
    assert spawned[0].poll() is not None, "the worker process was stopped"
    assert _gone(spawned[0].pid), "and reaped: no process is left with its id"
