"""Redis for the click pipeline: its clients and the stream.

Empty `REDIS_URL` (the embedded default) means no Redis: the redirect then
writes each click straight to the database, which is fine for one laptop.

The redirect talks to Redis through `hot_call`: a client with 25 ms time limits
and no retries, behind a circuit breaker. One failed call opens the breaker;
for the next `BREAKER_RESET_SECONDS` the redirect does not wait on Redis at all
(clicks go to the local journal, codes to the database), then one call tries
again. So a refused or hung Redis costs one visitor 25 ms every few seconds,
never a timeout per click.
"""

from __future__ import annotations

import pybreaker
import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

CLICK_STREAM = (
    "chorus:clicks"  # settings.CHORUS_CLICK_STREAM overrides it (tests, staging on a shared Redis)
)
# A healthy Redis next to the web server answers in well under a millisecond.
HOT_TIMEOUT_SECONDS = 0.025
BREAKER_RESET_SECONDS = 5.0

_clients: dict[str, redis.Redis] = {}
_hot_clients: dict[str, redis.Redis] = {}
hot_breaker = pybreaker.CircuitBreaker(fail_max=1, reset_timeout=BREAKER_RESET_SECONDS)


class HotPathUnavailable(Exception):
    """Redis failed on the hot path, or the breaker is open: use the fallback."""


def click_stream() -> str:
    return getattr(settings, "CHORUS_CLICK_STREAM", "") or CLICK_STREAM


def _client(cache: dict[str, redis.Redis], **options) -> redis.Redis | None:
    url = settings.REDIS_URL
    if not url:
        return None
    client = cache.get(url)
    if client is None:
        # redis-py parses with hiredis when it is installed (it is a dependency).
        client = cache[url] = redis.Redis.from_url(url, **options)
    return client


def redis_client() -> redis.Redis | None:
    """For the flusher and other background work: patient (2 s limits)."""
    return _client(_clients, socket_timeout=2, socket_connect_timeout=2)


_flush_clients: dict[str, redis.Redis] = {}


def flush_client() -> redis.Redis | None:
    """For the flusher: as `redis_client`, but XRANGE answers as Redis sent it
    ([[id, [field, value, ...]], ...]), without a dict built per entry."""
    fresh = settings.REDIS_URL and settings.REDIS_URL not in _flush_clients
    client = _client(_flush_clients, socket_timeout=2, socket_connect_timeout=2)
    if fresh:
        client.set_response_callback("XRANGE", lambda response, **options: response)
    return client


def hot_client() -> redis.Redis | None:
    """For the redirect: short limits, no retries, no handshake round trips."""
    return _client(
        _hot_clients,
        socket_timeout=HOT_TIMEOUT_SECONDS,
        socket_connect_timeout=HOT_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
        retry_on_timeout=False,
        lib_name=None,
        lib_version=None,
    )


def hot_call(method: str, *args, **kwargs):
    """Call a Redis command on the hot path; raises `HotPathUnavailable` instead of waiting.

    Callers check `hot_client()` is not None first (no Redis configured at all)."""
    client = hot_client()
    try:
        return hot_breaker.call(getattr(client, method), *args, **kwargs)
    except (RedisError, pybreaker.CircuitBreakerError, OSError) as error:
        raise HotPathUnavailable(str(error)) from None
