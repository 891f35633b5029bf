"""Every caller that sends HTTP to an address a tenant typed goes through the one gate.

The table runs each server-side-request-forgery trick an attacker would try
(OWASP SSRF prevention cheat sheet; the forms a C resolver accepts for an IPv4
address) against every caller: link previews, feed imports, Slack / Teams
announcements, CRM conversion webhooks and Mastodon instance registration. A
canary server listens on loopback: no trick may reach it, and every caller must
refuse cleanly (a recorded error or a form error, never an exception).
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError

from advocacy import outbound
from campaigns.webhooks import WebhookError, webhook_post
from content_library import services as content_services
from content_library.models import ContentItem, FeedSource
from social import services as social_services

from .servers import (
    OK_RESPONSE,
    TcpServer,
    answer_ok,
    closed_port,
    redirect_to,
    silent,
    slow_headers,
)

pytestmark = pytest.mark.django_db


# --- callers: each takes (organization, url) and answers (succeeded, message shown) ---


def preview(org, url):
    item = ContentItem.objects.create(organization=org, title="Story", url=url)
    content_services.content_preview_fetch(organization=org, content_id=item.pk)
    item.refresh_from_db()
    return item.preview_status == "fetched", item.preview_error


def feed(org, url):
    source = FeedSource.objects.create(organization=org, name="Feed", url=url)
    content_services.feed_source_poll(organization=org, source_id=source.pk)
    source.refresh_from_db()
    return not source.last_error, source.last_error


def slack_or_teams(org, url):
    try:
        webhook_post(url, {"text": "A new campaign is live"})
    except WebhookError as exc:
        return False, str(exc)
    return True, ""


def crm_webhook(org, url):
    from analytics.conversions.webhooks import crm_post

    try:
        response = crm_post(url, body=b"{}", headers={"Content-Type": "application/json"})
    except outbound.OutboundError as exc:
        return False, str(exc)
    # delivery_send retries anything but a 2xx; it never follows a redirect.
    return response.ok, f"answered {response.status_code}"


def mastodon_registration(org, url):
    url = url.replace("http://", "https://", 1)
    try:
        instance = social_services.mastodon_instance_clean(instance_url=url)
        social_services.mastodon_app_for(
            instance_url=instance, redirect_uri="https://chorus.example/callback"
        )
    except ValidationError as exc:
        return False, " ".join(exc.messages)
    except Exception as exc:  # the provider's own error taxonomy (Transient, Permanent)
        return False, str(exc)
    return True, ""


def _mastodon(url):
    from social.providers.base import ProviderConfig
    from social.providers.registry import get_provider

    # An instance a person typed, after connecting: not one of the operator's servers.
    base = url.rstrip("/")
    config = ProviderConfig(
        key="mastodon",
        client_id="chorus",
        client_secret="secret",
        auth_base_url=base,
        api_base_url=base,
        scopes=("read", "write:statuses"),
        extra={"timeout": 5.0, "allow_insecure_transport": False},
    )
    return get_provider("mastodon", config)


def _provider_outcome(send):
    from social.providers.base import ProviderError

    try:
        with _insecure_transport():  # the canary speaks http; the gate is what is tested
            send()
    except ProviderError as exc:  # the adapter's own taxonomy, shown as the connection's error
        return False, exc.message
    return True, ""


def mastodon_publish(org, url):
    from social.providers.base import ShareRequest, TokenSet

    provider = _mastodon(url)
    token = TokenSet(access_token="token", extra={"instance": url})
    return _provider_outcome(lambda: provider.publish(token, ShareRequest(text="Hello")))


def mastodon_token_exchange(org, url):
    provider = _mastodon(url)
    return _provider_outcome(
        lambda: provider.exchange_code("code", "verifier", "https://chorus.example/callback")
    )


def bluesky_pds(org, url):
    from social.providers.base import ProviderConfig, ShareRequest, TokenSet
    from social.providers.registry import get_provider

    # The configured servers are the operator's; the PDS the account's DID document
    # named (kept in the session) is anyone's choice.
    provider = get_provider(
        "bluesky",
        ProviderConfig(
            key="bluesky",
            client_id="",
            client_secret="",
            auth_base_url="https://bsky.social",
            api_base_url="https://bsky.social",
            extra={"timeout": 5.0},
        ),
    )
    token = TokenSet(
        access_token="access",
        refresh_token="refresh",
        extra={"did": "did:web:alice.example", "handle": "alice.example", "pds": url},
    )
    return _provider_outcome(lambda: provider.publish(token, ShareRequest(text="Hello")))


class _insecure_transport:
    def __enter__(self):
        import os

        self.before = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

    def __exit__(self, *exc):
        import os

        if self.before is None:
            os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = self.before


CALLERS = {
    "preview": preview,
    "feed": feed,
    "slack/teams": slack_or_teams,
    "crm webhook": crm_webhook,
    "mastodon registration": mastodon_registration,
    "mastodon publish": mastodon_publish,
    "mastodon token exchange": mastodon_token_exchange,
    "bluesky pds": bluesky_pds,
}

# --- tricks: a URL template ({port} is the canary's) and what DNS answers, if asked ---

TRICKS = {
    "loopback": ("http://127.0.0.1:{port}/", None),
    "localhost name": ("http://localhost:{port}/", None),
    "decimal IPv4 2130706433": ("http://2130706433:{port}/", None),
    "hex IPv4 0x7f.1": ("http://0x7f.1:{port}/", None),
    "octal IPv4 0177.0.0.1": ("http://0177.0.0.1:{port}/", None),
    "short IPv4 127.1": ("http://127.1:{port}/", None),
    "IPv6 loopback": ("http://[::1]:{port}/", None),
    "IPv4-mapped IPv6": ("http://[::ffff:127.0.0.1]:{port}/", None),
    "IPv4-mapped IPv6 hex": ("http://[::ffff:7f00:1]:{port}/", None),
    "NAT64 IPv6": ("http://[64:ff9b::7f00:1]:{port}/", None),
    "user-info": ("http://partner.example.com@127.0.0.1:{port}/", None),
    "backslash": ("http://127.0.0.1:{port}\\@partner.example.com/", None),
    "cloud metadata": ("http://169.254.169.254/latest/meta-data/", None),
    "name to private address": ("http://crm.example.com:{port}/", ["10.0.0.5"]),
    "name to loopback": ("http://crm.example.com:{port}/", ["127.0.0.1"]),
    "one private answer among public": (
        "http://crm.example.com:{port}/",
        ["93.184.215.14", "127.0.0.1"],
    ),
}


@pytest.fixture
def canary():
    server = TcpServer(answer_ok)
    yield server
    server.close()


@pytest.fixture
def no_loopback(settings):
    for name in outbound.LOOPBACK_SETTINGS:
        setattr(settings, name, False)


@pytest.mark.parametrize("trick", TRICKS)
@pytest.mark.parametrize("caller", CALLERS)
def test_no_trick_reaches_the_inside(org_a, canary, no_loopback, monkeypatch, caller, trick):
    template, dns = TRICKS[trick]

    def fake_dns(host, port):
        assert dns is not None, f"{host} should have been refused without a lookup"
        return dns

    if dns is not None or "localhost" not in template:
        monkeypatch.setattr(outbound, "resolve", fake_dns)
    succeeded, message = CALLERS[caller](org_a, template.format(port=canary.port))
    assert not succeeded and message
    assert canary.connections == 0


@pytest.mark.parametrize("caller", CALLERS)
def test_a_redirect_inwards_is_not_followed(org_a, canary, settings, caller):
    outside = TcpServer(redirect_to(canary.url("/")))
    try:
        # The "outside" server may be reached; the canary, on another loopback port, may not.
        settings.OUTBOUND_ALLOW_LOOPBACK = {outside.port}
        succeeded, message = CALLERS[caller](org_a, outside.url("/hook"))
    finally:
        outside.close()
    assert not succeeded and message
    assert canary.connections == 0


@pytest.mark.parametrize("caller", CALLERS)
def test_slow_headers_run_out_of_time(org_a, settings, monkeypatch, caller):
    stop = threading.Event()
    dripping = TcpServer(slow_headers(stop))
    monkeypatch.setattr(outbound, "TIMEOUT_CAP", 0.5)
    try:
        settings.OUTBOUND_ALLOW_LOOPBACK = {dripping.port}
        succeeded, message = CALLERS[caller](org_a, dripping.url("/hook"))
    finally:
        stop.set()
        dripping.close()
    assert not succeeded and message


@pytest.mark.parametrize("caller", CALLERS)
def test_messages_do_not_tell_open_ports_from_closed_ones(
    org_a, canary, no_loopback, settings, monkeypatch, caller
):
    """An admin typing internal addresses learns nothing: refused before any packet
    leaves, the message is the same whatever listens there."""
    messages = {
        CALLERS[caller](org_a, f"http://127.0.0.1:{port}/")[1]
        for port in (canary.port, closed_port(), 22, 6379)
    }
    assert len(messages) == 1
    assert canary.connections == 0

    # And where a connection is allowed, refused, silent and reset ports read the same.
    stop = threading.Event()
    quiet, resetting = TcpServer(silent(stop)), TcpServer()
    monkeypatch.setattr(outbound, "TIMEOUT_CAP", 0.5)
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    try:
        answers = {
            CALLERS[caller](org_a, f"http://127.0.0.1:{port}/")
            for port in (closed_port(), quiet.port, resetting.port)
        }
    finally:
        stop.set()
        quiet.close()
        resetting.close()
    assert len(answers) == 1 and not next(iter(answers))[0]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "ftp://example.com/",
        "http://exa mple.com/",
        "http://example.com/\x00",
        "http:///no-host",
        "http://[::1/",
        "http://example.com:99999/",
    ],
)
def test_malformed_urls_are_refused_before_anything_else(monkeypatch, url):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: pytest.fail("looked up"))
    with pytest.raises(outbound.InvalidURL):
        outbound.request("GET", url)


def test_the_checked_address_is_the_one_connected_to(settings, monkeypatch):
    """DNS rebinding: the name is resolved once, and the connection goes to that answer
    with the original Host header."""
    seen = []

    def behaviour(conn):
        seen.append(conn.recv(65536))
        conn.sendall(OK_RESPONSE)

    server = TcpServer(behaviour)
    answers = iter([["127.0.0.1"], ["10.0.0.9"]])  # a second lookup would be private
    monkeypatch.setattr(outbound, "resolve", lambda host, port: next(answers))
    settings.OUTBOUND_ALLOW_LOOPBACK = {server.port}
    try:
        response = outbound.request("GET", f"http://partner.example.com:{server.port}/x")
    finally:
        server.close()
    assert response.status_code == 200
    assert f"Host: partner.example.com:{server.port}".encode() in seen[0]


def test_production_never_opens_loopback(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.PRODUCTION = True
    with pytest.raises(outbound.Refused):
        outbound.request("GET", "http://127.0.0.1:9/")
