"""A misconfigured Redis, database or broker URL stops startup with a message that
names the variable, instead of a process that starts and fails on its first request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(**variables: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("DATABASE_URL", "postgress://postgres@127.0.0.1:5432/chorus", "scheme 'postgress'"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:54x2/chorus", "Port could not be cast"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432", "no database name"),
        ("REDIS_URL", "redis//127.0.0.1:6379/0", "no scheme"),
        ("REDIS_URL", "redis://127.0.0.1:6379/cache", "is not a number"),
        ("REDIS_URL", "redis://:s3cret@127.0.0.1:99999/0", "Port out of range"),
        ("CELERY_BROKER_URL", "http://127.0.0.1:6379/0", "scheme 'http'"),
        ("CELERY_BROKER_URL", "redis:///0", "no host"),
    ],
)
def test_a_bad_service_url_stops_startup_naming_the_variable(variable, value, reason):
    result = _start(**{variable: value})
    assert result.returncode != 0
    assert f"{variable} is misconfigured" in result.stderr
    assert reason in result.stderr
    assert "s3cret" not in result.stderr  # a password in the URL is never printed


def test_good_urls_start():
    result = _start(
        DATABASE_URL="sqlite:////tmp/chorus-startup-check.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/8",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/8",
    )
    assert result.returncode == 0, result.stderr
