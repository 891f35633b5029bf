"""Token buckets that keep Chorus under each network's rate limits.

One bucket per network and scope (e.g. ``x:GET /2/tweets:conn42``). ``take``
is atomic in Redis (a Lua script), so any number of workers share a bucket
without over-granting. Buckets refill continuously at their policy's rate,
except after ``sync_from_headers`` or ``cooldown``: the network then told us
exactly what is left until a reset time, so the bucket holds at that count
and refills to the full limit only at the reset, as the network's own fixed
window does. Without Redis, ``LocalTokenBuckets`` gives the same interface
within one process (one person's laptop, not production).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

KEY_PREFIX = "chorus:rl:"


@dataclass(frozen=True)
class BucketPolicy:
    capacity: int
    refill_per_second: float


# Conservative defaults per network, under the documented limits.
DEFAULT_POLICIES: dict[str, BucketPolicy] = {
    "linkedin": BucketPolicy(100, 100 / 86400),
    "x": BucketPolicy(75, 75 / 900),
    "facebook": BucketPolicy(150, 150 / 3600),
    "mastodon": BucketPolicy(250, 250 / 300),
    "bluesky": BucketPolicy(2500, 2500 / 300),
}
FALLBACK_POLICY = BucketPolicy(60, 1.0)


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


def _ts(when: datetime | float) -> float:
    return when.timestamp() if isinstance(when, datetime) else float(when)


class _Policies:
    def __init__(self, policies: dict[str, BucketPolicy] | None) -> None:
        self.policies = dict(DEFAULT_POLICIES if policies is None else policies)

    def policy(self, bucket: str) -> BucketPolicy:
        """The policy whose name is the longest prefix of the bucket name."""
        best = max((p for p in self.policies if bucket.startswith(p)), key=len, default=None)
        return self.policies[best] if best else FALLBACK_POLICY


# KEYS[1] bucket hash. ARGV: n, capacity, rate, mode, remaining, limit, hold_until.
# mode "take" | "sync". Fields: tokens, ts (last refill), cap, hold (no refill before).
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local mode = ARGV[4]
local cap = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'cap', 'hold')
local tokens = tonumber(s[1])
local ts = tonumber(s[2]) or now
local hold = tonumber(s[4]) or 0
if s[3] then cap = tonumber(s[3]) end
if tokens == nil then tokens = cap end
if mode == 'sync' then
  tokens = tonumber(ARGV[5])
  cap = tonumber(ARGV[6])
  hold = tonumber(ARGV[7])
  ts = now
else
  if hold > 0 and now >= hold then
    tokens = cap
    ts = hold
    hold = 0
  end
  if hold == 0 then
    tokens = math.min(cap, tokens + (now - ts) * rate)
  end
  ts = now
end
local n = tonumber(ARGV[1])
local allowed = 0
local retry = 0
if mode == 'take' then
  if tokens >= n then
    tokens = tokens - n
    allowed = 1
  elseif hold > 0 then
    retry = hold
  elseif rate > 0 then
    retry = now + (n - tokens) / rate
  else
    retry = -1
  end
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ts, 'cap', cap, 'hold', hold)
local ttl = 3600
if hold > now then ttl = ttl + math.ceil(hold - now) end
if rate > 0 then ttl = ttl + math.ceil(cap / rate) end
redis.call('EXPIRE', KEYS[1], ttl)
return {allowed, tostring(retry)}
"""


class RedisTokenBuckets(_Policies):
    """Buckets shared by every worker through Redis; time is Redis's own
    clock (TIME), so workers with skewed clocks still agree."""

    def __init__(
        self, redis: Any, policies: dict[str, BucketPolicy] | None = None, prefix: str = KEY_PREFIX
    ) -> None:
        super().__init__(policies)
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_SCRIPT)

    def forget_all(self) -> None:
        """Drop every bucket's state (tests that move the networks' clocks)."""
        keys = list(self.redis.scan_iter(match=self.prefix + "*", count=500))
        if keys:
            self.redis.delete(*keys)

    def _run(
        self, bucket: str, n: int, mode: str, remaining: int = 0, limit: int = 0, hold: float = 0
    ) -> tuple[bool, datetime | None]:
        p = self.policy(bucket)
        allowed, retry = self._script(
            keys=[self.prefix + bucket],
            args=[n, p.capacity, p.refill_per_second, mode, remaining, limit, hold],
        )
        retry_f = float(retry)
        if allowed:
            return True, None
        # -1: a bucket with no refill that ran dry never frees up by itself.
        return False, _dt(retry_f) if retry_f > 0 else None

    def take(self, bucket: str, n: int = 1) -> tuple[bool, datetime | None]:
        return self._run(bucket, n, "take")

    def sync_from_headers(
        self, bucket: str, remaining: int, limit: int, reset_at: datetime | float
    ) -> None:
        self._run(bucket, 0, "sync", max(0, remaining), max(1, limit), _ts(reset_at))

    def cooldown(self, bucket: str, until: datetime | float) -> None:
        """After a 429: nothing left until ``until``, then the usual capacity."""
        cap = self.policy(bucket).capacity
        self._run(bucket, 0, "sync", 0, cap, _ts(until))


class LocalTokenBuckets(_Policies):
    """Same semantics inside one process, for when no Redis is configured."""

    def __init__(
        self, policies: dict[str, BucketPolicy] | None = None, clock: Any = time.time
    ) -> None:
        super().__init__(policies)
        self._clock = clock
        self._lock = threading.Lock()
        self._state: dict[str, dict[str, float]] = {}

    def forget_all(self) -> None:
        with self._lock:
            self._state.clear()

    def _bucket(self, bucket: str, now: float) -> tuple[dict[str, float], float]:
        p = self.policy(bucket)
        s = self._state.setdefault(
            bucket, {"tokens": p.capacity, "ts": now, "cap": p.capacity, "hold": 0.0}
        )
        if s["hold"] and now >= s["hold"]:
            s.update(tokens=s["cap"], ts=s["hold"], hold=0.0)
        if not s["hold"]:
            s["tokens"] = min(s["cap"], s["tokens"] + (now - s["ts"]) * p.refill_per_second)
        s["ts"] = now
        return s, p.refill_per_second

    def take(self, bucket: str, n: int = 1) -> tuple[bool, datetime | None]:
        with self._lock:
            now = self._clock()
            s, rate = self._bucket(bucket, now)
            if s["tokens"] >= n:
                s["tokens"] -= n
                return True, None
            if s["hold"]:
                return False, _dt(s["hold"])
            return False, _dt(now + (n - s["tokens"]) / rate) if rate > 0 else None

    def sync_from_headers(
        self, bucket: str, remaining: int, limit: int, reset_at: datetime | float
    ) -> None:
        with self._lock:
            now = self._clock()
            s, _ = self._bucket(bucket, now)
            s.update(tokens=max(0, remaining), cap=max(1, limit), hold=_ts(reset_at), ts=now)

    def cooldown(self, bucket: str, until: datetime | float) -> None:
        with self._lock:
            now = self._clock()
            s, _ = self._bucket(bucket, now)
            s.update(tokens=0, cap=self.policy(bucket).capacity, hold=_ts(until), ts=now)


class TokenBuckets:
    """The buckets Chorus uses: Redis-backed when given a client, else in-process."""

    def __init__(
        self, redis: Any | None = None, policies: dict[str, BucketPolicy] | None = None
    ) -> None:
        self.backend: RedisTokenBuckets | LocalTokenBuckets = (
            LocalTokenBuckets(policies) if redis is None else RedisTokenBuckets(redis, policies)
        )

    def forget_all(self) -> None:
        self.backend.forget_all()

    def take(self, bucket: str, n: int = 1) -> tuple[bool, datetime | None]:
        """(allowed, retry_at): retry_at is None when allowed, or when a bucket
        that never refills has run dry."""
        return self.backend.take(bucket, n)

    def sync_from_headers(
        self, bucket: str, remaining: int, limit: int, reset_at: datetime | float
    ) -> None:
        self.backend.sync_from_headers(bucket, remaining, limit, reset_at)

    def cooldown(self, bucket: str, until: datetime | float) -> None:
        self.backend.cooldown(bucket, until)
