"""The redirect never fails a visitor (issue 16.1), drilled through `TcpProxy` in front of
the real Redis and PostgreSQL; the shared servers are never stopped.

- Redis refused, then hung: every /r/ of a cached code answers 302 without sending
  Redis a byte (the click goes to the process's journal; the proxy counts what it
  swallowed). The shipper cannot send the journal meanwhile and keeps it; once Redis
  is back it sends every click once, and the flush stores each. A code not cached yet
  is looked up in the database after one try of Redis (then the breaker is open). No
  test here holds a stopwatch: what is asserted is who waited on Redis, and the
  timings are printed.
- The database refused: a cached code still redirects, an uncached one gets the
  branded 503 page in the visitor's language, with Retry-After.

Each test prints its figures.
"""

from __future__ import annotations

import statistics
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import redis
import requests
from django.conf import settings as django_settings
from redis.exceptions import RedisError

from analytics.clicks import linkcache
from analytics.clicks.flush import flush_click_stream
from analytics.clicks.journal import journal_ship
from analytics.clicks.linkcache import CLICK_PARAM
from analytics.clicks.stream import click_stream, hot_breaker, redis_client
from analytics.models import ClickEvent
from tests.faults.conftest import database_proxy, postgres_only, running_app
from tests.faults.tcp_proxy import TcpProxy

from .factories import tracked_link_for

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = urlsplit(django_settings.REDIS_URL or "redis://127.0.0.1:6379/0")
REDIS_HOST, REDIS_PORT = REDIS.hostname or "127.0.0.1", REDIS.port or 6379
REDIS_DB = REDIS.path.strip("/") or "0"
CLICKS = 40


@pytest.fixture
def redis_behind_proxy(settings, tmp_path):
    """The click pipeline pointed at a proxy in front of the real Redis; a journal of its own."""
    if not django_settings.REDIS_URL:
        pytest.skip("drills a Redis server (CI sets REDIS_URL)")
    with TcpProxy(REDIS_HOST, REDIS_PORT) as proxy:
        settings.REDIS_URL = f"redis://127.0.0.1:{proxy.port}/{REDIS_DB}"
        settings.CHORUS_CLICK_STREAM = f"chorus:test-clicks:{uuid.uuid4().hex}"
        settings.CHORUS_CLICK_JOURNAL_DIR = str(tmp_path / "journal")
        hot_breaker.close()
        linkcache.clear_local()
        yield proxy
        hot_breaker.close()
        linkcache.clear_local()
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=int(REDIS_DB)).delete(
            settings.CHORUS_CLICK_STREAM
        )


def _click_id(response) -> str:
    assert response.status_code == 302, response.body
    return parse_qs(urlsplit(response.headers["Location"]).query)[CLICK_PARAM][0]


def _drill(wsgi, proxy, link, fault: str) -> dict[str, float]:
    handed_out = [_click_id(wsgi(f"/r/{link.code}", ip="198.51.100.250"))]  # warm: cached
    getattr(proxy, fault)()
    seconds = []
    for n in range(CLICKS):
        started = time.monotonic()
        response = wsgi(f"/r/{link.code}", ip=f"198.51.100.{n}")
        seconds.append(time.monotonic() - started)
        handed_out.append(_click_id(response))
    # A click never waits on Redis: it is appended to the process's journal.
    assert proxy.swallowed == 0
    assert hot_breaker.current_state == "closed"
    # The shipper cannot reach Redis: the clicks stay in the journal...
    client = redis_client()
    with pytest.raises(RedisError):
        journal_ship(client, click_stream())
    direct = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=int(REDIS_DB))
    assert direct.xlen(click_stream()) == 0
    # ...and go once Redis is back, each once.
    proxy.forward()
    client.connection_pool.disconnect()
    assert journal_ship(client, click_stream()) == len(handed_out)
    assert journal_ship(client, click_stream()) == 0
    stored = flush_click_stream()

    assert stored == len(handed_out)
    assert set(
        ClickEvent.objects.for_org(link.organization).values_list("click_id", flat=True)
    ) == set(handed_out)
    return {
        "p50_ms": statistics.median(seconds) * 1000,
        "max_ms": max(seconds) * 1000,
        "kept": stored,
        "answered": len(handed_out),
    }


def test_with_redis_refused_every_visitor_is_redirected_at_once_and_every_click_kept(
    wsgi, redis_behind_proxy, org_a
):
    figures = _drill(wsgi, redis_behind_proxy, tracked_link_for(org_a), "refuse")
    print(f"\nRedis refused: {figures}")


def test_with_redis_hung_every_visitor_is_redirected_at_once_and_every_click_kept(
    wsgi, redis_behind_proxy, org_a
):
    figures = _drill(wsgi, redis_behind_proxy, tracked_link_for(org_a), "hang")
    print(f"\nRedis hung: {figures}")


def test_with_redis_hung_a_code_not_cached_yet_is_answered_from_the_database_in_time(
    wsgi, redis_behind_proxy, org_a
):
    healthy_link, link = tracked_link_for(org_a), tracked_link_for(org_a)
    started = time.monotonic()
    _click_id(wsgi(f"/r/{healthy_link.code}"))
    healthy = time.monotonic() - started  # the database lookup alone (Redis answers a miss)
    redis_behind_proxy.hang()
    started = time.monotonic()
    click_id = _click_id(wsgi(f"/r/{link.code}"))
    elapsed = time.monotonic() - started
    print(f"\nuncached code: Redis healthy {healthy * 1000:.0f} ms, hung {elapsed * 1000:.0f} ms")
    # One try of Redis (the link cache) waited, and the code was looked up in the database;
    # the click went to the journal, as every click does.
    assert redis_behind_proxy.swallowed == 1
    assert hot_breaker.current_state == "open"
    redis_behind_proxy.forward()
    hot_breaker.close()
    assert flush_click_stream() == 2
    assert click_id in set(ClickEvent.objects.for_org(org_a).values_list("click_id", flat=True))


def test_with_the_database_refused_cached_codes_redirect_and_others_get_the_branded_503(
    org_a,
):
    postgres_only()
    if not django_settings.REDIS_URL:
        pytest.skip("the cached code's click goes to Redis (CI sets REDIS_URL)")
    cached, uncached = tracked_link_for(org_a), tracked_link_for(org_a)
    stream = f"chorus:test-clicks:{uuid.uuid4().hex}"
    with database_proxy() as (db_proxy, database_url):
        with running_app(
            DATABASE_URL=database_url,
            REDIS_URL=django_settings.REDIS_URL,
            CELERY_BROKER_URL="memory://",
            CHORUS_CLICK_STREAM=stream,
        ) as base:
            warm = requests.get(f"{base}/r/{cached.code}", allow_redirects=False, timeout=10)
            assert warm.status_code == 302
            db_proxy.refuse()
            started = time.monotonic()
            again = requests.get(f"{base}/r/{cached.code}", allow_redirects=False, timeout=10)
            cached_seconds = time.monotonic() - started
            assert again.status_code == 302
            assert again.headers["Location"].startswith(cached.target_url.split("?")[0])

            pages = {}
            for language, phrase in (("id", "Coba lagi"), ("en", "Try again")):
                page = requests.get(
                    f"{base}/r/{uncached.code}",
                    allow_redirects=False,
                    timeout=10,
                    headers={"Accept-Language": language},
                )
                assert page.status_code == 503
                assert page.headers["Retry-After"] == "30"
                assert 'data-testid="error-page"' in page.text and phrase in page.text
                pages[language] = page.elapsed.total_seconds()
    redis.Redis.from_url(django_settings.REDIS_URL).delete(stream)
    print(f"\ndatabase refused: cached code 302 in {cached_seconds * 1000:.0f} ms, "
          f"uncached code 503 in {pages['en'] * 1000:.0f} ms")  # fmt: skip
