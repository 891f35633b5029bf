"""Helpers for the Django side of the social tests: a sandbox-backed
configuration, and the consent page walked the way a browser walks it."""

from __future__ import annotations

import contextvars
import http.client
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
import urllib3.connection
from django.core.handlers.base import BaseHandler
from django.test import TestCase
from django.urls import reverse

from advocacy import outbound
from social import limits
from social.models import Connection
from social.providers.linkedin import previous_month_version


@pytest.fixture
def social_sandbox(sandbox, settings):
    """The session sandbox (reset), with every provider pointed at it."""
    settings.SANDBOX_URL = sandbox.base_url
    settings.SOCIAL_PROVIDERS = {}
    settings.LINKEDIN_API_VERSION = previous_month_version()
    settings.SOCIAL_HTTP_TIMEOUT = 5
    settings.SOCIAL_REDIS_URL = ""
    settings.REDIS_URL = ""
    limits.reset()
    yield sandbox
    limits.reset()


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a.get("action", "")
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")


def consent(auth_url: str, *, decision: str = "allow", handle: str | None = None) -> str:
    """Answer the sandbox's consent page; return where it sends the browser back."""
    page = requests.get(auth_url, timeout=10)
    assert page.status_code == 200, page.text
    form = _Form()
    form.feed(page.text)
    data = dict(form.fields, decision=decision)
    if handle:
        data["handle"] = handle
    answer = requests.post(
        urljoin(auth_url, form.action), data=data, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def local(url: str) -> str:
    """The path and query of a URL on the Django test server."""
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return f"{parts.path}?{parts.query}"


def queued(client, path: str, data: dict | None = None, *, method: str = "get"):
    """One browser request, then the work it queued (the tasks run eagerly once the
    request's transaction commits, as a worker would run them right after)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return getattr(client, method)(path, data or {})


def through_waiting(client, response):
    """Past the waiting step: the attempt's page moves on by itself once its task ran."""
    if response.status_code == 302 and "/connections/attempts/" in response["Location"]:
        return client.get(response["Location"])
    return response


def start_connect(client, membership, network: str, **data):
    url = reverse(
        "social:connect", kwargs={"org_slug": membership.organization.slug, "network": network}
    )
    return through_waiting(client, queued(client, url, data, method="post"))


def connect(
    client, membership, network: str = "linkedin", *, handle: str = "sam.advocate", **data
) -> Connection:
    """The whole connect flow through the test client and the real consent page."""
    started = start_connect(client, membership, network, **data)
    assert started.status_code == 302, started.content[:500]
    back = consent(started["Location"], handle=handle)
    done = through_waiting(client, queued(client, local(back)))
    assert done.status_code == 302, done.content[:500]
    return Connection.objects.get(
        membership=membership, network=network, status=Connection.Status.ACTIVE
    )


# --- no call leaves Chorus while a web request is handled -----------------------------

_HANDLING: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "handling_request", default=None
)


@pytest.fixture
def no_fetch_in_requests(monkeypatch):
    """Every way Chorus calls out (the outbound gate's lookup and request, requests'
    adapters, urllib3 and http.client connections) raises while Django handles a
    request, and the call is recorded in case a view swallows the error. Yields the
    list of (path, what) calls seen; the test fails at teardown if it is not empty."""
    seen: list[tuple[str, str]] = []
    handle = BaseHandler.get_response

    def get_response(self, request):
        token = _HANDLING.set(request.path)
        try:
            return handle(self, request)
        finally:
            _HANDLING.reset(token)

    def guarded(what, real):
        def call(*args, **kwargs):
            path = _HANDLING.get()
            if path is not None:
                seen.append((path, what))
                raise AssertionError(f"{what} called while handling the web request {path}")
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(BaseHandler, "get_response", get_response)
    for owner, name in (
        (outbound, "request"),
        (outbound, "resolve"),
        (requests.adapters.HTTPAdapter, "send"),
        (urllib3.connection.HTTPConnection, "connect"),
        (http.client.HTTPConnection, "connect"),
    ):
        monkeypatch.setattr(owner, name, guarded(f"{owner.__name__}.{name}", getattr(owner, name)))
    yield seen
    assert not seen, f"outbound calls inside web requests: {seen}"


def connections_url(membership) -> str:
    return reverse("social:connections", kwargs={"org_slug": membership.organization.slug})
