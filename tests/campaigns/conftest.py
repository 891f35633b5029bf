"""Fixtures for the campaigns tests: a local webhook receiver."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append(
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
        )
        self.send_response(self.server.answer)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server(settings):
    """A tiny HTTP server on 127.0.0.1 that records what Slack or Teams would have received."""
    settings.CONTENT_FETCHER_ALLOW_LOOPBACK = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []
    server.answer = 200
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def published_events():
    """SharePublished events dispatched during the test (after commit)."""
    from advocacy import events

    seen: list = []
    handler = events.subscribe(events.SharePublished)(seen.append)
    yield seen
    events._handlers[events.SharePublished].remove(handler)


@pytest.fixture(scope="session")
def sandbox_server():
    from social.sandbox.testing import run_sandbox

    with run_sandbox() as handle:
        yield handle


@pytest.fixture
def sandbox(sandbox_server):
    sandbox_server.control.reset()
    return sandbox_server


# The social app's own fixture: every provider pointed at the sandbox above.
from tests.social.factories import social_sandbox  # noqa: E402, F401
