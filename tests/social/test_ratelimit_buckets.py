"""Token buckets: atomic on real Redis, same behaviour in-process."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from social.ratelimit import BucketPolicy, LocalTokenBuckets, TokenBuckets

POLICIES = {"x": BucketPolicy(capacity=10, refill_per_second=0.0001), "slow": BucketPolicy(5, 0.0)}


@pytest.fixture(params=["redis", "local"])
def buckets(request):
    if request.param == "redis":
        return TokenBuckets(request.getfixturevalue("redis_client"), POLICIES)
    return TokenBuckets(None, POLICIES)


def _name(prefix: str = "x") -> str:
    return f"{prefix}:GET /2/tweets:{uuid.uuid4().hex[:8]}"


def test_many_threads_never_over_grant(buckets):
    bucket = _name()
    granted = []
    start = threading.Barrier(40)

    def worker():
        start.wait()
        for _ in range(5):
            ok, _ = buckets.take(bucket)
            if ok:
                granted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 10


def test_denial_says_when_to_retry(buckets):
    bucket = _name()
    for _ in range(10):
        assert buckets.take(bucket) == (True, None)
    ok, retry_at = buckets.take(bucket)
    assert not ok and retry_at is not None and retry_at > datetime.now(tz=UTC)


def test_sync_from_headers_holds_until_reset(buckets):
    bucket = _name()
    reset_at = datetime.now(tz=UTC) + timedelta(seconds=1.5)
    buckets.sync_from_headers(bucket, remaining=2, limit=300, reset_at=reset_at)
    assert buckets.take(bucket)[0] and buckets.take(bucket)[0]
    ok, retry_at = buckets.take(bucket)
    assert not ok and abs((retry_at - reset_at).total_seconds()) < 0.01
    time.sleep(1.6)
    # the window reset: the network's full limit is available again
    assert all(buckets.take(bucket)[0] for _ in range(300))


def test_cooldown_after_a_429(buckets):
    bucket = _name()
    until = datetime.now(tz=UTC) + timedelta(seconds=1)
    buckets.cooldown(bucket, until)
    ok, retry_at = buckets.take(bucket)
    assert not ok and abs((retry_at - until).total_seconds()) < 0.01
    time.sleep(1.1)
    assert buckets.take(bucket)[0]


def test_policy_by_longest_prefix_and_empty_bucket_without_refill(buckets):
    bucket = _name("slow")
    assert all(buckets.take(bucket)[0] for _ in range(5))
    assert buckets.take(bucket) == (False, None)  # never refills: no retry time to promise


def test_local_buckets_refill_over_time():
    now = [1000.0]
    b = LocalTokenBuckets({"m": BucketPolicy(2, 1.0)}, clock=lambda: now[0])
    assert b.take("m:a")[0] and b.take("m:a")[0]
    ok, retry_at = b.take("m:a")
    assert not ok and retry_at == datetime.fromtimestamp(1001.0, tz=UTC)
    now[0] += 1.0
    assert b.take("m:a")[0]
