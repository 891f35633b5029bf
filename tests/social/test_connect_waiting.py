"""Connecting never calls a network while a page is served (issue 15, item 1).

A new Mastodon instance (an address a person typed), a Bluesky sign-in (the handle
names the server Chorus calls) and the code exchange after a consent page are queued:
the page records a connect attempt and the browser waits on a small page that moves on
by itself. The `no_fetch_in_requests` fixture makes every way of calling out raise while
Django handles a request, so each flow below fails if any page calls a network.
"""

# ruff: noqa: F811  (fixtures imported from .factories, then requested by name)
from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from advocacy import outbound
from social.models import ConnectAttempt, Connection, ConnectionEvent, MastodonInstanceApp
from social.tasks import run_connect_attempt
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import (  # noqa: F401
    connections_url,
    consent,
    local,
    no_fetch_in_requests,
    queued,
    social_sandbox,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_fetch_in_requests")]

APP_PASSWORD = "abcd-efgh-ijkl-mnop"


def connect_url(membership, network: str) -> str:
    return reverse(
        "social:connect", kwargs={"org_slug": membership.organization.slug, "network": network}
    )


def status_of(client, waiting_url: str) -> str:
    answer = client.get(waiting_url.rstrip("/") + "/status/")
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    return answer.json()["status"]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_a_new_mastodon_instance_is_registered_by_a_task_while_the_browser_waits(
    web, employee_a, social_sandbox
):
    client = web.as_member(employee_a)
    instance = social_sandbox.url("mastodon")
    composer = f"/o/{employee_a.organization.slug}/share/7/"

    # The click only records the attempt: nothing is registered while the page is served.
    started = client.post(
        connect_url(employee_a, "mastodon"), {"instance_url": instance, "next": composer}
    )
    assert started.status_code == 302
    waiting_url = started["Location"]
    assert "/connections/attempts/" in waiting_url
    assert not MastodonInstanceApp.objects.exists()

    # The waiting step: a small page that asks for the outcome, with a no-script refresh.
    waiting = client.get(waiting_url)
    html = waiting.content.decode()
    assert waiting.status_code == 200
    assert 'data-testid="connect-waiting"' in html
    assert '<noscript><meta http-equiv="refresh"' in html
    assert "social/attempt.js" in html
    assert status_of(client, waiting_url) == "pending"

    # The worker registers Chorus on the instance (through the outbound gate) ...
    attempt = ConnectAttempt.objects.get()
    run_connect_attempt.delay(organization_id=employee_a.organization_id, attempt_id=attempt.pk)
    assert MastodonInstanceApp.objects.get().instance_url == instance
    assert status_of(client, waiting_url) == "done"

    # ... and the waiting page moves on to the instance's consent page by itself.
    to_consent = client.get(waiting_url)
    assert to_consent.status_code == 302
    assert to_consent["Location"].startswith(instance + "/oauth/authorize")

    # Back from consent, the code exchange is queued the same way, then the composer.
    back = queued(client, local(consent(to_consent["Location"], handle="emma.evans")))
    assert "/connections/attempts/" in back["Location"]
    done = client.get(back["Location"])
    assert done.status_code == 302 and done["Location"] == composer
    assert any("is connected" in m for m in messages_of(done))
    connection = Connection.objects.get(membership=employee_a, network="mastodon")
    assert connection.status == Connection.Status.ACTIVE
    assert connection.instance_app.instance_url == instance
    # The consent code is used once and not kept.
    assert not ConnectAttempt.objects.exclude(secret_ciphertext="").exists()


def test_a_known_instance_skips_the_wait(web, employee_a, member_factory, social_sandbox):
    instance = social_sandbox.url("mastodon")
    first = web.as_member(employee_a)
    started = queued(
        first, connect_url(employee_a, "mastodon"), {"instance_url": instance}, method="post"
    )
    assert "/connections/attempts/" in started["Location"]
    colleague = member_factory(employee_a.organization)
    second = web.as_member(colleague)
    again = second.post(connect_url(colleague, "mastodon"), {"instance_url": instance})
    # Registered once and kept: straight on to the consent page, no task, no waiting.
    assert again.status_code == 302
    assert again["Location"].startswith(instance + "/oauth/authorize")
    assert MastodonInstanceApp.objects.count() == 1
    assert ConnectAttempt.objects.filter(membership=colleague).count() == 0


def test_bluesky_signs_in_from_a_task_and_keeps_no_app_password(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    started = client.post(
        connect_url(employee_a, "bluesky"),
        {"handle": "emma.bsky.social", "app_password": APP_PASSWORD},
    )
    waiting_url = started["Location"]
    assert "/connections/attempts/" in waiting_url
    assert not Connection.objects.exists()
    attempt = ConnectAttempt.objects.get()
    assert attempt.secret_ciphertext and APP_PASSWORD not in attempt.secret_ciphertext

    run_connect_attempt.delay(organization_id=employee_a.organization_id, attempt_id=attempt.pk)
    done = client.get(waiting_url)
    assert done.status_code == 302 and done["Location"] == connections_url(employee_a)
    assert any("is connected" in m for m in messages_of(done))
    assert Connection.objects.get(membership=employee_a, network="bluesky").handle == (
        "emma.bsky.social"
    )
    attempt.refresh_from_db()
    assert attempt.status == "done" and attempt.secret_ciphertext == ""


def test_the_task_is_idempotent(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    client.post(
        connect_url(employee_a, "bluesky"),
        {"handle": "emma.bsky.social", "app_password": APP_PASSWORD},
    )
    attempt = ConnectAttempt.objects.get()
    for _ in range(2):  # a redelivered task finds the attempt done and leaves it
        run_connect_attempt.delay(organization_id=employee_a.organization_id, attempt_id=attempt.pk)
    assert Connection.objects.filter(network="bluesky").count() == 1
    assert ConnectionEvent.objects.filter(kind="connected", network="bluesky").count() == 1


def test_a_wrong_app_password_is_said_in_words(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    started = queued(
        client,
        connect_url(employee_a, "bluesky"),
        {"handle": "emma.bsky.social", "app_password": "wrong"},
        method="post",
    )
    back = client.get(started["Location"])  # the sandbox refuses it, as Bluesky does (401)
    assert back.status_code == 302
    assert "connect your account again" in client.get(back["Location"]).content.decode()
    assert not Connection.objects.exists()
    assert ConnectionEvent.objects.filter(kind="error", network="bluesky").exists()


@pytest.fixture
def dns(monkeypatch):
    """What the name `mastodon.example.org` resolves to, as the gate sees it."""
    answers: list[str] = []

    def resolve(host, port):
        assert host == "mastodon.example.org", host
        return answers

    real = outbound.resolve
    monkeypatch.setattr(
        outbound,
        "resolve",
        lambda host, port: (
            resolve(host, port) if host == "mastodon.example.org" else real(host, port)
        ),
    )
    return answers


def failure_words(client, membership, instance: str) -> str:
    started = queued(
        client, connect_url(membership, "mastodon"), {"instance_url": instance}, method="post"
    )
    assert "/connections/attempts/" in started["Location"]
    back = client.get(started["Location"])
    assert back.status_code == 302 and back["Location"] == connections_url(membership)
    page = client.get(back["Location"])  # the connections page shows the words
    return " ".join(messages_of(page))


def test_a_name_pointing_inside_is_refused_in_words(web, employee_a, social_sandbox, dns):
    dns[:] = ["10.0.0.5"]
    words = failure_words(web.as_member(employee_a), employee_a, "mastodon.example.org")
    assert "not a public Mastodon server" in words
    assert "10.0.0.5" not in words
    assert not MastodonInstanceApp.objects.exists()


def test_an_open_or_closed_port_reads_the_same(web, employee_a, social_sandbox, dns, settings):
    """Whether something listens behind the address never shows: a closed port and a
    port that accepts and answers nothing give the same words."""
    settings.OUTBOUND_ALLOW_LOOPBACK = True  # the test's own loopback stands for the internet
    dns[:] = ["127.0.0.1"]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    silent_port = silent.getsockname()[1]
    client = web.as_member(employee_a)
    try:
        seen = [
            failure_words(client, employee_a, f"https://mastodon.example.org:{port}")
            for port in (closed_port, silent_port)
        ]
    finally:
        silent.close()
    assert seen[0] == seen[1]
    assert "could not reach that Mastodon server" in seen[0]
    assert str(closed_port) not in seen[0]


def test_someone_elses_attempt_is_missing(web, employee_a, member_factory, social_sandbox):
    client = web.as_member(employee_a)
    started = client.post(
        connect_url(employee_a, "bluesky"),
        {"handle": "emma.bsky.social", "app_password": APP_PASSWORD},
    )
    colleague = member_factory(employee_a.organization)
    from django.test import Client

    other = Client()
    other.force_login(colleague.user)
    assert other.get(started["Location"]).status_code == 404
    assert other.get(started["Location"] + "status/").status_code == 404


def test_the_waiting_page_speaks_indonesian(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    started = client.post(
        connect_url(employee_a, "bluesky"),
        {"handle": "emma.bsky.social", "app_password": APP_PASSWORD},
    )
    html = client.get(started["Location"], HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Menghubungkan Bluesky" in html


def test_reconnecting_mastodon_names_the_server_and_skips_the_wait(web, employee_a, social_sandbox):
    from .factories import connect

    client = web.as_member(employee_a)
    instance = social_sandbox.url("mastodon")
    connection = connect(client, employee_a, "mastodon", instance_url=instance)
    Connection.objects.filter(pk=connection.pk).update(status=Connection.Status.REAUTH_REQUIRED)
    html = client.get(connections_url(employee_a)).content.decode()
    assert f'name="instance_url" value="{instance}"' in html  # the Reconnect form's server
    again = client.post(connect_url(employee_a, "mastodon"), {"instance_url": instance})
    assert again.status_code == 302
    assert again["Location"].startswith(instance + "/oauth/authorize")


@pytest.mark.parametrize(
    "pds", ["https://10.0.0.8", "https://[::ffff:127.0.0.1]", "https://169.254.169.254"]
)
def test_a_bluesky_account_on_an_inside_server_is_refused(
    web, employee_a, social_sandbox, monkeypatch, pds
):
    """Whoever controls a handle's DID document names its server (the PDS): Chorus
    refuses to sign in there unless it is a public address, and says so in words."""
    from social.providers.bluesky import BlueskyProvider

    real = BlueskyProvider._get_json

    def get_json(self, url, what, **params):
        body = real(self, url, what, **params)
        if what == "the DID document":
            body = {**body, "service": [{"id": "#atproto_pds", "serviceEndpoint": pds}]}
        return body

    monkeypatch.setattr(BlueskyProvider, "_get_json", get_json)
    client = web.as_member(employee_a)
    started = queued(
        client,
        connect_url(employee_a, "bluesky"),
        {"handle": "emma.bsky.social", "app_password": APP_PASSWORD},
        method="post",
    )
    back = client.get(started["Location"])
    words = " ".join(messages_of(client.get(back["Location"])))
    assert "not a public address" in words
    assert not Connection.objects.exists()
