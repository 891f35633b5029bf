"""The process's rate-limit buckets: shared through Redis when REDIS_URL is
set, in-process otherwise (one laptop), and the glue that reads each
network's headers from the responses an adapter received."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from django.conf import settings

from social.ratelimit import TokenBuckets

_buckets: TokenBuckets | None = None


def buckets() -> TokenBuckets:
    global _buckets
    if _buckets is None:
        url = getattr(settings, "SOCIAL_REDIS_URL", "") or getattr(settings, "REDIS_URL", "")
        client = None
        if url:
            import redis

            from advocacy.dependencies import REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT

            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=REDIS_CONNECT_TIMEOUT,
                socket_timeout=REDIS_SOCKET_TIMEOUT,
            )
        _buckets = TokenBuckets(client)
    return _buckets


def reset() -> None:
    """Forget the buckets and what they hold (tests only: it clears shared state)."""
    global _buckets
    buckets().forget_all()
    _buckets = None


def bucket_name(connection: Any, purpose: str) -> str:
    """One bucket per network, purpose and account: networks count per user."""
    return f"{connection.network}:{purpose}:conn{connection.pk}"


@contextmanager
def observed_responses(provider: Any) -> Iterator[list[requests.Response]]:
    """Collect the responses the adapter gets, to sync buckets from their headers.

    The adapters open one OAuth2Session per call through ``session_for``; a
    response hook on it sees every answer without changing the adapter."""
    seen: list[requests.Response] = []
    original = getattr(provider, "session_for", None)
    if original is None:
        yield seen
        return

    def session_for(token: Any) -> Any:
        session = original(token)
        session.hooks["response"].append(lambda resp, *args, **kwargs: seen.append(resp))
        return session

    provider.session_for = session_for
    try:
        yield seen
    finally:
        del provider.session_for


def sync_from(provider: Any, bucket: str, responses: list[requests.Response]) -> None:
    """The network's own count wins over our estimate (latest answer first)."""
    for resp in reversed(responses):
        info = provider.rate_limit_from_headers(resp)
        if info is not None:
            buckets().sync_from_headers(bucket, info.remaining, info.limit, info.reset_at)
            return
