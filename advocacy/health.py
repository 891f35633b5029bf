"""/healthz: the state of each dependency, within a second, even when one hangs.

Every check runs in its own thread with a deadline; a check that has not
answered by then is reported as `timeout` and left to finish on its own (its
dependency's own time limit ends it, see `advocacy/dependencies.py`). Each
dependency has its own small pool, so a hung database cannot starve the check
of Redis. 503 when the database, the cache or the broker is down; a token key
that cannot read stored tokens is reported as `configuration` (the app pauses
those connections itself, see `social.keycheck`) and also answers 503, because
it is ours to fix.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

DEADLINE = 0.8  # seconds for all checks together; the answer leaves well within 1 s


def _check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # this thread's connection; the pool thread lives on


def _check_cache() -> None:
    key = "healthz:ping"
    cache.set(key, "pong", 10)
    if cache.get(key) != "pong":
        raise RuntimeError("cache did not return what was written")


def _check_broker() -> None:
    from celery import current_app  # the project's app, without importing the wiring

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=DEADLINE, interval_start=0)


CHECKS: dict[str, Callable[[], object]] = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
}
# Apps add checks that report a state beyond up/down (social: the token keys).
EXTRA_CHECKS: dict[str, Callable[[], object]] = {}


def register_check(name: str, check: Callable[[], object]) -> None:
    """`check` raises when its part is down, or returns {"ok": bool, ...} to say more."""
    EXTRA_CHECKS[name] = check


_pools: dict[str, ThreadPoolExecutor] = {}


def _pool(name: str) -> ThreadPoolExecutor:
    # Two threads: one may still be stuck on a hung dependency from the last probe.
    if name not in _pools:
        _pools[name] = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"healthz-{name}")
    return _pools[name]


def _timed(check: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    detail = check()
    return detail, round((time.monotonic() - started) * 1000, 1)


def run_checks(deadline: float = DEADLINE) -> tuple[bool, dict[str, dict]]:
    checks = {**CHECKS, **EXTRA_CHECKS}
    futures = {name: _pool(name).submit(_timed, check) for name, check in checks.items()}
    ends_at = time.monotonic() + deadline
    results: dict[str, dict] = {}
    healthy = True
    for name, future in futures.items():
        try:
            detail, ms = future.result(timeout=max(0.0, ends_at - time.monotonic()))
        except FutureTimeout:
            healthy = False
            results[name] = {"ok": False, "error": "timeout"}
            continue
        except Exception as exc:  # a health check reports every failure, whatever it is
            healthy = False
            results[name] = {"ok": False, "error": type(exc).__name__}
            continue
        result: dict = {"ok": True, "ms": ms}
        if isinstance(detail, dict):
            result.update(detail)
            healthy = healthy and result["ok"]
        results[name] = result
    return healthy, results


@never_cache
def healthz(request):
    healthy, results = run_checks()
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
    if not healthy:
        response["Retry-After"] = "30"
    return response
