"""A Mastodon instance is whatever server a person typed, and it stays theirs after
connecting: its name can be re-pointed at 127.0.0.1 or 10.x at any time (DNS
rebinding). Every later call (token exchange, publishing, metrics, revocation) goes
through the core's outbound gate, so Chorus's workers never call inside the network.

The instance here is the sandbox under a name of its own (`social.example`), so the
gate resolves it through its `resolve` seam (the DNS the test controls); the test's
loopback stands for the public internet (OUTBOUND_ALLOW_LOOPBACK for the sandbox port)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import pytest

from advocacy import outbound
from social.providers.base import Permanent, ShareRequest
from social.providers.mastodon import register_app
from social.providers.registry import get_provider, sandbox_config

from .conftest import REDIRECT_URI, consent

INSTANCE_NAME = "social.example"


@pytest.fixture
def dns(monkeypatch):
    """What the instance's name resolves to; the test re-points it."""
    answers = {INSTANCE_NAME: ["127.0.0.1"]}

    def resolve(host, port):
        if host not in answers:
            raise outbound.Unreachable(outbound.MSG_NOT_FOUND)
        return answers[host]

    monkeypatch.setattr(outbound, "resolve", resolve)
    # The sandbox speaks plain http; a real instance is https (oauthlib insists).
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    return answers


def _on_loopback(url: str, port: int) -> str:
    """The consent page, opened by the person's browser (not by Chorus)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"127.0.0.1:{port}"))


@pytest.fixture
def connected(sandbox, settings, dns):
    port = int(urlsplit(sandbox.base_url).port)
    settings.OUTBOUND_ALLOW_LOOPBACK = {port}
    instance = f"http://{INSTANCE_NAME}:{port}/mastodon"
    client_id, secret = register_app(
        sandbox.url("mastodon"), client_name="Chorus", redirect_uris=[REDIRECT_URI]
    )
    config = sandbox_config("mastodon", sandbox.base_url, client_id=client_id, client_secret=secret)
    # A person's instance: not one of the operator's configured servers.
    config = replace(config, auth_base_url=instance, api_base_url=instance, extra={})
    provider = get_provider("mastodon", config)
    start = provider.start_auth(REDIRECT_URI)
    back = consent(_on_loopback(start.url, port), handle="alice")
    token, _profile = provider.finish_auth(back["code"], start.code_verifier, REDIRECT_URI)
    return provider, token


def _share(text="Our new report is out") -> ShareRequest:
    return ShareRequest(text=text, link_url="https://acme.example/report")


def test_a_public_instance_works_through_the_gate(sandbox, connected):
    provider, token = connected
    result = provider.publish(token, _share())
    assert result.external_id
    assert len(sandbox.control.posts("mastodon")) == 1
    [snapshot] = provider.fetch_metrics(token, [result.external_id])
    assert snapshot.external_id == result.external_id


@pytest.mark.parametrize("inside", ["10.0.0.5", "127.0.0.1 on another port", "169.254.169.254"])
def test_an_instance_re_pointed_inside_is_refused_and_nothing_is_sent(
    sandbox, connected, dns, settings, inside
):
    provider, token = connected
    published = provider.publish(token, _share("Before the switch"))
    assert len(sandbox.control.posts("mastodon")) == 1

    if inside.startswith("127.0.0.1"):
        settings.OUTBOUND_ALLOW_LOOPBACK = set()  # loopback is the inside again
        dns[INSTANCE_NAME] = ["127.0.0.1"]
    else:
        dns[INSTANCE_NAME] = [inside]

    with pytest.raises(Permanent) as publishing:
        provider.publish(token, _share("After the switch"))
    with pytest.raises(Permanent) as polling:
        provider.fetch_metrics(token, [published.external_id])
    with pytest.raises(Permanent) as revoking:
        provider.revoke(token)

    for refused in (publishing.value, polling.value, revoking.value):
        assert refused.code == "not_public"
        assert str(outbound.MSG_REFUSED) in refused.message
    # The sandbox kept the one post from before; nothing else reached it.
    assert [p["text"] for p in sandbox.control.posts("mastodon")] == [
        "Before the switch\n\nhttps://acme.example/report"
    ]


def test_the_token_exchange_goes_through_the_gate(sandbox, settings, dns):
    port = int(urlsplit(sandbox.base_url).port)
    settings.OUTBOUND_ALLOW_LOOPBACK = {port}
    instance = f"http://{INSTANCE_NAME}:{port}/mastodon"
    client_id, secret = register_app(
        sandbox.url("mastodon"), client_name="Chorus", redirect_uris=[REDIRECT_URI]
    )
    config = replace(
        sandbox_config("mastodon", sandbox.base_url, client_id=client_id, client_secret=secret),
        auth_base_url=instance,
        api_base_url=instance,
        extra={},
    )
    provider = get_provider("mastodon", config)
    start = provider.start_auth(REDIRECT_URI)
    back = consent(_on_loopback(start.url, port), handle="alice")
    dns[INSTANCE_NAME] = ["10.1.2.3"]  # re-pointed between consent and exchange
    with pytest.raises(Permanent) as exchange:
        provider.finish_auth(back["code"], start.code_verifier, REDIRECT_URI)
    assert exchange.value.code == "not_public"
    # The code was never spent: with the name public again it still works.
    dns[INSTANCE_NAME] = ["127.0.0.1"]
    _token, profile = provider.finish_auth(back["code"], start.code_verifier, REDIRECT_URI)
    assert profile.handle
