"""Connecting with a real Celery worker (issue 15, item 1): the page only queues the
call, a worker process on Redis makes it, and the waiting page goes on once it is done.
The web requests run under `no_fetch_in_requests`, so any call they made would fail."""

# ruff: noqa: F811  (fixtures imported from .factories, then requested by name)
from __future__ import annotations

import pytest
from django.urls import reverse

from social.models import ConnectAttempt, Connection, MastodonInstanceApp
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connections_url, consent, local, no_fetch_in_requests, social_sandbox  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("no_fetch_in_requests")]


def _status(client, waiting_url: str) -> str:
    return client.get(waiting_url + "status/").json()["status"]


def test_the_worker_registers_on_mastodon_and_exchanges_the_code(
    celery_worker, web, employee_a, social_sandbox
):
    worker = celery_worker()
    client = web.as_member(employee_a)
    instance = social_sandbox.url("mastodon")
    started = client.post(
        reverse(
            "social:connect",
            kwargs={"org_slug": employee_a.organization.slug, "network": "mastodon"},
        ),
        {"instance_url": instance},
    )
    waiting_url = started["Location"]
    assert "/connections/attempts/" in waiting_url
    worker.wait_for(lambda: _status(client, waiting_url) == "done", "the app registration")
    assert MastodonInstanceApp.objects.get().instance_url == instance
    to_consent = client.get(waiting_url)
    assert to_consent["Location"].startswith(instance + "/oauth/authorize")

    back = client.get(local(consent(to_consent["Location"], handle="emma.evans")))
    finishing = back["Location"]
    worker.wait_for(lambda: _status(client, finishing) == "done", "the code exchange")
    done = client.get(finishing)
    assert done["Location"] == connections_url(employee_a)
    assert Connection.objects.get(membership=employee_a, network="mastodon").instance_app
    assert not ConnectAttempt.objects.exclude(secret_ciphertext="").exists()


def test_the_worker_signs_in_to_bluesky(celery_worker, web, employee_a, social_sandbox):
    worker = celery_worker()
    client = web.as_member(employee_a)
    started = client.post(
        reverse(
            "social:connect",
            kwargs={"org_slug": employee_a.organization.slug, "network": "bluesky"},
        ),
        {"handle": "emma.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
    )
    waiting_url = started["Location"]
    worker.wait_for(lambda: _status(client, waiting_url) != "pending", "the Bluesky sign-in")
    assert _status(client, waiting_url) == "done"
    assert client.get(waiting_url)["Location"] == connections_url(employee_a)
    assert Connection.objects.get(network="bluesky").handle == "emma.bsky.social"
