"""Helpers for the Django side of the social tests: a sandbox-backed
configuration, and the consent page walked the way a browser walks it."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

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


def start_connect(client, membership, network: str, **data):
    url = reverse(
        "social:connect", kwargs={"org_slug": membership.organization.slug, "network": network}
    )
    return client.post(url, data)


def connect(
    client, membership, network: str = "linkedin", *, handle: str = "sam.advocate", **data
) -> Connection:
    """The whole connect flow through the test client and the real consent page."""
    started = start_connect(client, membership, network, **data)
    assert started.status_code == 302, started.content[:500]
    back = consent(started["Location"], handle=handle)
    done = client.get(local(back))
    assert done.status_code == 302, done.content[:500]
    return Connection.objects.get(
        membership=membership, network=network, status=Connection.Status.ACTIVE
    )


def connections_url(membership) -> str:
    return reverse("social:connections", kwargs={"org_slug": membership.organization.slug})
