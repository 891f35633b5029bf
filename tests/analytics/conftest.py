"""Fixtures for the click pipeline: a Redis database of our own, and a way to call
the real WSGI application (with its /r/ dispatcher) the way gunicorn does."""

from __future__ import annotations

import io
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections

from analytics.clicks import linkcache, visitors
from analytics.clicks.journal import journal_ship
from analytics.clicks.stream import click_stream
from tests.isolation.actors import test_body_acts_as_system  # noqa: F401

from .factories import tracked_link_for

# db 11 of the machine's Redis is the click tests' own, whatever REDIS_URL says.
_base = urlsplit(settings.REDIS_URL or "redis://127.0.0.1:6379/0")
CLICKS_REDIS_URL = urlunsplit(_base._replace(path="/11"))


@pytest.fixture(autouse=True)
def _fresh_caches():
    linkcache.clear_local()
    visitors._salts.clear()
    yield
    linkcache.clear_local()
    visitors._salts.clear()


@pytest.fixture
def click_redis(settings):
    """The pipeline with Redis: the redirect appends to a stream of this test's own,
    so test runs sharing the machine's Redis do not see each other's clicks."""
    settings.REDIS_URL = CLICKS_REDIS_URL
    settings.CHORUS_CLICK_STREAM = f"chorus:test-clicks:{uuid.uuid4().hex}"
    client = redis.Redis.from_url(CLICKS_REDIS_URL)
    yield client
    client.delete(settings.CHORUS_CLICK_STREAM)


@pytest.fixture
def no_redis(settings):
    """The embedded default: no Redis, clicks are stored directly."""
    settings.REDIS_URL = ""


@pytest.fixture
def link_a(org_a):
    return tracked_link_for(org_a)


@pytest.fixture
def link_b(org_b):
    return tracked_link_for(org_b)


class WsgiResponse:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body


@pytest.fixture
def wsgi():
    """Call advocacy.wsgi.application with a plain environ, as a WSGI server would."""
    from advocacy.wsgi import application

    def get(
        path: str,
        *,
        method: str = "GET",
        ip: str = "203.0.113.7",
        user_agent: str = "Mozilla/5.0 (iPhone)",
        **headers,
    ):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": ip,
            "HTTP_HOST": "testserver",
            "HTTP_USER_AGENT": user_agent,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
        }
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured["status"], captured["headers"] = status, response_headers

        # As Django's test client does: keep the test's database connection (and its
        # transaction) open across the request.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            body = b"".join(application(environ, start_response))
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return WsgiResponse(captured["status"], captured["headers"], body)

    return get


def stream_entries(client) -> list[dict[str, str]]:
    """Each click's one-letter fields in the stream (a shipper's entry holds many, one a
    line, as "b"; a value is the fields joined by U+001F), once this process's shipper has
    sent its journal's clicks to the stream."""
    journal_ship(client, click_stream())
    names = ("c", "o", "l", "s", "m", "k", "t", "v", "r", "g", "u")
    values = []
    for _id, fields in client.xrange(click_stream()):
        values += fields[b"b"].split(b"\n") if b"b" in fields else [fields[b"x"]]
    return [dict(zip(names, value.decode().split("\x1f"), strict=True)) for value in values]
