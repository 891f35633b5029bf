"""Code → link, for the redirect: an in-process LRU in front of Redis in front of the database.

A warm process answers from its own memory (no network at all); a cold one asks
Redis, and only a code nobody has asked for in the last hour reaches the
database. Unknown codes are remembered briefly too, so a flood of one bad code
costs nothing. A link that is switched off is forgotten at once in Redis and in
this process (`forget`); other processes notice within `LOCAL_TTL` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri

from advocacy.tenancy.context import system_context
from analytics.clicks.stream import HotPathUnavailable, hot_call, hot_client, redis_client
from campaigns.models import TrackedLink

log = logging.getLogger(__name__)

CLICK_PARAM = "chorus_click"
LOCAL_SIZE = 50_000
LOCAL_TTL = 30.0
LOCAL_MISS_TTL = 5.0
REDIS_TTL = 3600
REDIS_MISS_TTL = 30
_MISS = "-"


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    organization_id: int
    link_id: int
    share_id: int
    membership_id: int
    campaign_id: int | None
    target_url: str
    # The Location header around the click id, precomputed once per process.
    location_head: str
    location_tail: str

    @classmethod
    def build(
        cls, organization_id, link_id, share_id, membership_id, campaign_id, target_url
    ) -> ResolvedLink | None:
        target = iri_to_uri(target_url)
        if urlsplit(target).scheme not in ("http", "https"):
            return None  # never send a visitor to anything but a web page
        base, hash_mark, fragment = target.partition("#")
        separator = "&" if "?" in base else "?"
        return cls(
            int(organization_id),
            int(link_id),
            int(share_id),
            int(membership_id),
            int(campaign_id) if campaign_id not in (None, "", b"") else None,
            target,
            f"{base}{separator}{CLICK_PARAM}=",
            f"{hash_mark}{fragment}",
        )

    def location(self, click_id: str) -> str:
        return f"{self.location_head}{click_id}{self.location_tail}"

    def dumps(self) -> str:
        campaign = "" if self.campaign_id is None else str(self.campaign_id)
        return f"{self.organization_id}|{self.link_id}|{self.share_id}|{self.membership_id}|{campaign}|{self.target_url}"

    @classmethod
    def loads(cls, raw: str) -> ResolvedLink | None:
        return cls.build(*raw.split("|", 5))


class _LRU:
    """A small LRU with per-entry expiry; the lock keeps threaded servers safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, tuple[float, ResolvedLink | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, now: float) -> tuple[bool, ResolvedLink | None]:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return False, None
            if item[0] < now:
                del self._data[key]
                return False, None
            self._data.move_to_end(key)
            return True, item[1]

    def put(self, key: str, value: ResolvedLink | None, expires_at: float) -> None:
        with self._lock:
            self._data[key] = (expires_at, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def discard(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_local = _LRU(LOCAL_SIZE)


def _redis_key(code: str) -> str:
    return f"chorus:link:{code}"


def _from_database(code: str) -> ResolvedLink | None:
    # /r/ has no organization: the lookup spans them all, audited.
    with system_context("resolve tracked link"):
        rows = list(
            TrackedLink.objects.filter(
                code=code, is_active=True, organization__is_active=True
            ).values_list(
                "organization_id",
                "id",
                "share_id",
                "share__membership_id",
                "share__campaign_id",
                "target_url",
            )[:2]
        )
    if len(rows) != 1:
        return None  # unknown, switched off, or (never created so) ambiguous
    return ResolvedLink.build(*rows[0])


def peek(code: str) -> tuple[bool, ResolvedLink | None]:
    """What this process remembers about a code: (known, link), no network at all."""
    return _local.get(code, time.monotonic())


def resolve(code: str) -> ResolvedLink | None:
    """The link behind a well-formed code, or None. Callers validate the code's shape first."""
    now = time.monotonic()
    found, link = _local.get(code, now)
    if found:
        return link
    use_redis = hot_client() is not None
    if use_redis:
        try:
            raw = hot_call("get", _redis_key(code))
        except HotPathUnavailable:
            use_redis, raw = False, None  # refused, hung or breaker open: ask the database
        if raw is not None:
            link = None if raw == b"-" else ResolvedLink.loads(raw.decode())
            _local.put(code, link, now + (LOCAL_TTL if link else LOCAL_MISS_TTL))
            return link
    link = _from_database(code)
    if use_redis:
        with suppress(HotPathUnavailable):
            hot_call(
                "set",
                _redis_key(code),
                link.dumps() if link else _MISS,
                ex=REDIS_TTL if link else REDIS_MISS_TTL,
            )
    _local.put(code, link, now + (LOCAL_TTL if link else LOCAL_MISS_TTL))
    return link


def forget(code: str) -> None:
    """Drop a code from Redis and from this process (a link was switched off or on)."""
    _local.discard(code)
    client = redis_client()
    if client is not None:
        client.delete(_redis_key(code))


def clear_local() -> None:
    _local.clear()


def on_link_changed(event) -> None:
    """`TrackedLinkChanged` handler: the next click sees the link as it is now."""
    forget(event.code)
