"""Fixtures for the social tests: one sandbox per session, reset before each
test, plus helpers that walk the OAuth consent page the way a browser does.
Nothing here needs Django."""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from social.conf import LINKEDIN_SANDBOX_PARTNER as LINKEDIN_PARTNER_CLIENT
from social.providers import linkedin
from social.providers.base import Profile, TokenSet
from social.providers.registry import get_provider, sandbox_config
from social.sandbox.testing import SandboxHandle, run_sandbox

REDIRECT_URI = "http://127.0.0.1:9/connections/callback"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxHandle]:
    with run_sandbox() as handle:
        yield handle


@pytest.fixture
def sandbox(sandbox_server: SandboxHandle) -> SandboxHandle:
    sandbox_server.control.reset()
    return sandbox_server


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a.get("action", "")
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")


def consent(auth_url: str, *, handle: str | None = None, decision: str = "allow") -> dict[str, str]:
    """Open the consent page, submit its form, return the callback's query."""
    page = requests.get(auth_url, timeout=10)
    assert page.status_code == 200, page.text
    assert 'name="viewport"' in page.text
    form = _FormParser()
    form.feed(page.text)
    data = dict(form.fields, decision=decision)
    if handle:
        data["handle"] = handle
    answer = requests.post(
        urljoin(auth_url, form.action), data=data, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def connect(
    sandbox: SandboxHandle, key: str, handle: str = "alice", **overrides: object
) -> tuple[object, TokenSet, Profile]:
    """Full connection flow for an OAuth network (or app password for Bluesky).

    LinkedIn connects as an app approved for the Community Management API
    (the sandbox's partner client: analytics scopes and refresh tokens) unless
    the test names its own client."""
    if key == "linkedin" and "client_id" not in overrides:
        overrides = {**LINKEDIN_PARTNER, **overrides}
    provider = get_provider(key, sandbox_config(key, sandbox.base_url, **overrides))
    if key == "bluesky":
        token, profile = provider.login(handle, "abcd-efgh-ijkl-mnop")  # type: ignore[attr-defined]
        return provider, token, profile
    if key == "mastodon":
        from social.providers.mastodon import register_app

        client_id, secret = register_app(
            sandbox.url("mastodon"), client_name="Chorus", redirect_uris=[REDIRECT_URI]
        )
        provider = get_provider(
            key,
            sandbox_config(
                key, sandbox.base_url, client_id=client_id, client_secret=secret, **overrides
            ),
        )
    start = provider.start_auth(REDIRECT_URI)
    back = consent(start.url, handle=handle)
    assert back["state"] == start.state
    token, profile = provider.finish_auth(back["code"], start.code_verifier, REDIRECT_URI)
    return provider, token, profile


LINKEDIN_PARTNER: dict[str, object] = {
    "client_id": LINKEDIN_PARTNER_CLIENT,
    "client_secret": f"{LINKEDIN_PARTNER_CLIENT}-secret",
    "scopes": linkedin.DEFAULT_SCOPES + linkedin.ANALYTICS_SCOPES,
}


@pytest.fixture(autouse=True)
def linkedin_as_partner(settings: object) -> None:
    """Django-side tests run as a LinkedIn partner app (SOCIAL_LINKEDIN_ANALYTICS);
    tests of the self-serve default set it back to False themselves."""
    settings.SOCIAL_LINKEDIN_ANALYTICS = True  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def redis_client() -> Iterator[object]:
    redis = pytest.importorskip("redis")
    url = os.environ.get("SOCIAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    client.flushdb()  # db 15 is ours alone
    yield client
    client.flushdb()
