"""Drills with a dependency refused or hung (through `TcpProxy`, never by stopping the
shared servers), against Chorus running under gunicorn as in production.

Figures measured on the development VM (2026-12-03) are in docs/operations.md; each
test prints its own.
"""

from __future__ import annotations

import os

import pytest

from .conftest import database_proxy, postgres_only, running_app, timed_get
from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _direct_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_healthz_answers_within_a_second_with_redis_refused_then_hung():
    postgres_only()
    with TcpProxy(REDIS_HOST, REDIS_PORT) as redis_proxy:
        redis_url = f"redis://127.0.0.1:{redis_proxy.port}/8"
        with running_app(
            DATABASE_URL=_direct_database_url(), REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url
        ) as base:
            if os.environ.get("REDIS_URL"):  # a Redis server to forward to: all green first
                response, _seconds = timed_get(base + "/healthz")
                assert response.status_code == 200, response.text
            redis_proxy.refuse()
            response, refused = timed_get(base + "/healthz")
            body = response.json()
            assert response.status_code == 503 and response.headers["Retry-After"]
            assert body["checks"]["database"]["ok"] is True
            assert body["checks"]["cache"]["ok"] is False
            assert body["checks"]["broker"]["ok"] is False
            assert refused < 1.0

            redis_proxy.hang()
            response, hung = timed_get(base + "/healthz")
            body = response.json()
            assert response.status_code == 503
            assert body["checks"]["database"]["ok"] is True
            assert body["checks"]["cache"] == {"ok": False, "error": "timeout"}
            assert hung < 1.0
            # Hung again while the first probe's checks may still be stuck: still in time.
            response, hung_again = timed_get(base + "/healthz")
            assert response.status_code == 503 and hung_again < 1.0
    print(f"\n/healthz: Redis refused {refused * 1000:.0f} ms, hung {hung * 1000:.0f} ms, "
          f"hung again {hung_again * 1000:.0f} ms")  # fmt: skip


def test_database_refused_or_hung_is_a_503_with_retry_after_never_a_500():
    postgres_only()
    with database_proxy() as (db_proxy, database_url):
        db_proxy.refuse()
        with running_app(
            DATABASE_URL=database_url, REDIS_URL="", CELERY_BROKER_URL="memory://"
        ) as base:
            health, health_seconds = timed_get(base + "/healthz")
            assert health.status_code == 503 and health_seconds < 1.0
            assert health.json()["checks"]["database"]["ok"] is False

            page, page_seconds = timed_get(base + "/o/acme/", headers={"Accept-Language": "id"})
            assert page.status_code == 503
            assert page.headers["Retry-After"] == "30"
            assert "text/html" in page.headers["Content-Type"]
            assert 'data-testid="error-page"' in page.text
            assert "Coba lagi" in page.text  # the Indonesian page

            api, api_seconds = timed_get(base + "/api/v1/orgs/acme/members/")
            assert api.status_code == 503
            assert api.headers["Content-Type"] == "application/problem+json"
            assert api.headers["Retry-After"] == "30"
            problem = api.json()
            assert problem["status"] == 503 and problem["title"] and problem["type"]

            db_proxy.hang()
            health, hung_seconds = timed_get(base + "/healthz")
            assert health.status_code == 503 and hung_seconds < 1.0
            assert health.json()["checks"]["database"] == {"ok": False, "error": "timeout"}
            page, page_hung_seconds = timed_get(base + "/o/acme/")
            assert page.status_code == 503  # after the connect time limit, not the worker's
    print(f"\ndatabase refused: /healthz {health_seconds * 1000:.0f} ms, page "
          f"{page_seconds * 1000:.0f} ms, API {api_seconds * 1000:.0f} ms; hung: /healthz "
          f"{hung_seconds * 1000:.0f} ms, page {page_hung_seconds * 1000:.0f} ms")  # fmt: skip
