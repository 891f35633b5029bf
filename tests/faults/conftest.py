"""Fault drills: the app as it runs in production (gunicorn, a separate process),
its database or Redis behind a `TcpProxy` that the test refuses or hangs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.db import connection

# The real sandbox network, as the campaigns and social tests use it.
from tests.campaigns.conftest import published_events, sandbox, sandbox_server  # noqa: F401
from tests.social.factories import social_sandbox  # noqa: F401

from .tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("drills the PostgreSQL connection (CI sets DATABASE_URL)")


@contextmanager
def database_proxy() -> Iterator[tuple[TcpProxy, str]]:
    """A proxy in front of the test database and the URL that reaches it through it."""
    db = connection.settings_dict
    with TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        yield proxy, f"postgres://{db['USER']}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"


@contextmanager
def running_app(**env_vars: str) -> Iterator[str]:
    """Chorus under gunicorn with these variables; yields its base URL."""
    port = free_port()
    env = {**os.environ, "CHORUS_TESTING": "0", "DEBUG": "0", **env_vars}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "advocacy.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
            "--timeout", "60",
        ],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(base + "/static/css/chorus.css", timeout=10)
                break
            except requests.RequestException:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode()) from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def timed_get(url: str, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=10, allow_redirects=False, **kwargs)
    return response, time.monotonic() - started
