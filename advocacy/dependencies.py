"""What Chorus depends on, and how long it waits for each.

Settings read every time limit from here, so one place says how patient Chorus is
with PostgreSQL, Redis and the broker. A URL that cannot work (an unknown scheme,
no host, a port that is not a number, a Redis database that is not a number) stops
startup with the name of the variable, instead of a half-working process that
fails on its first request.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Seconds. Short enough that a hung dependency costs a request little, long enough
# for a healthy one across a data centre.
DB_CONNECT_TIMEOUT = 3
DB_STATEMENT_TIMEOUT_MS = 30_000
REDIS_CONNECT_TIMEOUT = 1.0
REDIS_SOCKET_TIMEOUT = 2.0
BROKER_CONNECT_TIMEOUT = 2.0
BROKER_SOCKET_TIMEOUT = 2.0
# A publish that cannot reach the broker gives up after about a second.
BROKER_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
SQLITE_BUSY_TIMEOUT = 20

# Commands whose statements may rightly run for minutes (schema changes, rebuilding
# rollups from raw rows, benchmarks loading millions of rows): no statement limit.
LONG_STATEMENT_COMMANDS = {"migrate", "rebuild_rollups", "dbshell", "shell", "seed_demo"}


def runs_long_statements(argv: list[str]) -> bool:
    command = argv[1] if len(argv) > 1 else ""
    return command in LONG_STATEMENT_COMMANDS or "bench" in Path(argv[0] if argv else "").parts


DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis", "sqlite"}
REDIS_SCHEMES = {"redis", "rediss", "unix"}
BROKER_SCHEMES = REDIS_SCHEMES | {"filesystem", "memory", "amqp", "amqps", "pyamqp"}


def _bad(name: str, value: str, why: str) -> ImproperlyConfigured:
    shown = _without_password(value)
    return ImproperlyConfigured(f"{name} is misconfigured ({why}): {shown!r}")


def _without_password(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        return "<unparseable>"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return value


def check_service_url(name: str, value: str, *, schemes: set[str]) -> str:
    """Return `value` if it can name a working service, else raise naming `name`."""
    if not value:
        return value
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError as exc:
        raise _bad(name, value, str(exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        found = f"scheme {scheme!r}" if scheme else "no scheme"
        raise _bad(name, value, f"{found}, expected one of {allowed}")
    if scheme in {"sqlite", "filesystem", "memory", "unix"}:
        return value
    if not parts.hostname:
        raise _bad(name, value, "no host")
    if port == 0:
        raise _bad(name, value, "port 0")
    if scheme in REDIS_SCHEMES:
        db = parts.path.strip("/")
        if db and not db.isdigit():
            raise _bad(name, value, f"the Redis database {db!r} is not a number")
    if scheme in DATABASE_SCHEMES - {"sqlite"} and not parts.path.strip("/"):
        raise _bad(name, value, "no database name")
    return value
