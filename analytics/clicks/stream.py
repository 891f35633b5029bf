"""Redis for the click pipeline: one client per URL, the stream and its consumer group.

Empty `REDIS_URL` (the embedded default) means no Redis: the redirect then
writes each click straight to the database, which is fine for one laptop.
"""

from __future__ import annotations

import redis
from django.conf import settings

CLICK_STREAM = (
    "chorus:clicks"  # settings.CHORUS_CLICK_STREAM overrides it (tests, staging on a shared Redis)
)
FLUSH_GROUP = "click-flushers"
# Only one flusher runs at a time (see flush.py), so one consumer name is enough:
# whatever it left pending when it died is its successor's first batch.
FLUSH_CONSUMER = "flusher"

_clients: dict[str, redis.Redis] = {}


def click_stream() -> str:
    return getattr(settings, "CHORUS_CLICK_STREAM", "") or CLICK_STREAM


def redis_client() -> redis.Redis | None:
    url = settings.REDIS_URL
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        # redis-py parses with hiredis when it is installed (it is a dependency).
        client = _clients[url] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2
        )
    return client
