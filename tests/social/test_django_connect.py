"""Connecting and disconnecting accounts from the employee's connections page,
over real HTTP against the sandbox's consent pages."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

import pytest
from django.core.management import call_command

from social.crypto import decrypt_token
from social.models import Connection, ConnectionEvent, MastodonInstanceApp

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import (  # noqa: F401
    connect,
    connections_url,
    consent,
    local,
    no_fetch_in_requests,
    queued,
    social_sandbox,
    start_connect,
    through_waiting,
)

# No page calls a network while it is being served: a task does (the fixture fails the
# test if a request handler makes any outbound call).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_fetch_in_requests")]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_connect_linkedin_end_to_end(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    started = start_connect(client, employee_a, "linkedin")
    assert started.status_code == 302
    assert started["Location"].startswith(social_sandbox.url("linkedin"))
    back = consent(started["Location"], handle="emma.evans")
    assert back.startswith("http://testserver/social/callback/linkedin/?")  # same URL for every org
    done = through_waiting(client, queued(client, local(back)))
    assert done.status_code == 302
    assert done["Location"] == connections_url(employee_a)

    connection = Connection.objects.get(membership=employee_a)
    assert connection.status == Connection.Status.ACTIVE
    assert connection.display_name == "Emma Evans"
    assert connection.followers is not None and connection.followers > 0
    assert "w_member_social" in connection.scopes
    assert connection.expires_at is not None
    token = decrypt_token(connection.token_ciphertext)
    assert token.access_token and token.access_token not in connection.token_ciphertext
    assert token.refresh_token

    page = client.get(connections_url(employee_a))
    html = page.content.decode()
    assert "Emma Evans" in html and str(connection.followers) in html
    employee_a.organization.refresh_from_db()
    assert employee_a.organization.onboarding.get("connect_network") is True
    assert ConnectionEvent.objects.filter(connection=connection, kind="connected").exists()


@pytest.mark.parametrize("network", ["x", "facebook"])
def test_connect_other_oauth_networks(web, employee_a, social_sandbox, network):
    connection = connect(web.as_member(employee_a), employee_a, network, handle="emma.evans")
    assert connection.handle
    assert connection.followers is not None
    token = decrypt_token(connection.token_ciphertext)
    if network == "x":
        assert token.refresh_token  # offline.access
    else:
        assert token.extra["page_id"]


def test_connect_mastodon_registers_the_app_once(web, employee_a, member_factory, social_sandbox):
    instance = social_sandbox.url("mastodon")
    connection = connect(web.as_member(employee_a), employee_a, "mastodon", instance_url=instance)
    assert connection.instance_app.instance_url == instance
    other = member_factory(employee_a.organization)
    connect(web.as_member(other), other, "mastodon", handle="other.person", instance_url=instance)
    assert MastodonInstanceApp.objects.count() == 1
    # the app's secret is encrypted like the tokens
    app = MastodonInstanceApp.objects.get()
    assert len(app.client_secret_ciphertext) > 60


def test_mastodon_refuses_private_addresses(web, employee_a, social_sandbox):
    response = start_connect(
        web.as_member(employee_a), employee_a, "mastodon", instance_url="https://10.0.0.5"
    )
    assert response.status_code == 400
    assert "not a public Mastodon server" in response.content.decode()
    assert not MastodonInstanceApp.objects.exists()


def test_connect_bluesky_with_app_password(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    response = start_connect(
        client, employee_a, "bluesky", handle="emma.bsky.social", app_password="abcd-efgh-ijkl-mnop"
    )
    assert response.status_code == 302
    connection = Connection.objects.get(membership=employee_a, network="bluesky")
    assert connection.handle == "emma.bsky.social"
    token = decrypt_token(connection.token_ciphertext)
    assert "abcd-efgh-ijkl-mnop" not in connection.token_ciphertext
    assert "abcd-efgh-ijkl-mnop" not in str(token.extra)  # the app password is never kept


def test_denied_consent_stores_nothing_and_says_so(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    back = consent(start_connect(client, employee_a, "linkedin")["Location"], decision="deny")
    assert "error=access_denied" in back
    done = client.get(local(back), follow=True)
    assert "did not allow Chorus to use your LinkedIn account" in done.content.decode()
    assert not Connection.objects.exists()
    assert ConnectionEvent.objects.filter(kind="error", membership=employee_a).exists()


@pytest.mark.parametrize("tamper", ["changed", "missing", "replayed"])
def test_tampered_or_missing_state_is_refused(web, employee_a, social_sandbox, tamper):
    client = web.as_member(employee_a)
    back = local(consent(start_connect(client, employee_a, "x")["Location"]))
    if tamper == "changed":
        back = back.replace("state=", "state=forged")
    elif tamper == "missing":
        back = "&".join(p for p in back.split("&") if not p.startswith("state="))
        back = back.replace("?state=", "?")
    else:
        client.get(back)  # the real one, once
        Connection.objects.all().delete()
    done = client.get(back, follow=True)
    assert done.status_code == 200
    assert "We could not verify this X connection" in done.content.decode()
    assert not Connection.objects.exists()


def test_state_of_another_person_is_useless(
    web, employee_a, member_factory, social_sandbox, client
):
    back = local(consent(start_connect(web.as_member(employee_a), employee_a, "x")["Location"]))
    intruder = member_factory(employee_a.organization)
    from django.test import Client

    other = Client()
    other.force_login(intruder.user)
    done = other.get(back, follow=True)
    assert "We could not verify" in done.content.decode()
    assert not Connection.objects.exists()


def test_network_down_gives_a_clear_message(web, employee_a, social_sandbox, settings):
    settings.SANDBOX_URL = "http://127.0.0.1:9"  # nothing listens there
    client = web.as_member(employee_a)
    response = start_connect(
        client, employee_a, "bluesky", handle="emma.bsky.social", app_password="abcd-efgh-ijkl-mnop"
    )
    page = client.get(response["Location"])
    assert "Bluesky did not answer properly" in page.content.decode()
    assert ConnectionEvent.objects.filter(kind="error", network="bluesky").exists()


def test_token_endpoint_fault_during_exchange(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    back = local(consent(start_connect(client, employee_a, "linkedin")["Location"]))
    social_sandbox.control.fault("linkedin", kind="malformed", path="/oauth/v2/accessToken")
    done = client.get(queued(client, back)["Location"], follow=True)
    assert "LinkedIn did not answer properly" in done.content.decode()
    assert not Connection.objects.exists()
    assert ConnectionEvent.objects.filter(kind="error", network="linkedin").exists()


def test_disconnect_revokes_locally_and_remotely(web, employee_a, social_sandbox):
    import requests

    client = web.as_member(employee_a)
    connection = connect(client, employee_a, "x")
    token = decrypt_token(connection.token_ciphertext)
    # The page forgets the token; the network is asked by a task queued for it.
    response = queued(
        client, f"{connections_url(employee_a)}{connection.pk}/disconnect/", method="post"
    )
    assert "disconnected" in client.get(response["Location"]).content.decode()
    connection.refresh_from_db()
    assert connection.status == Connection.Status.DISCONNECTED
    assert connection.token_ciphertext == ""
    me = requests.get(
        f"{social_sandbox.url('x')}/2/users/me",
        headers={"Authorization": f"Bearer {token.access_token}"},
        timeout=5,
    )
    assert me.status_code == 401  # X revoked it too


def test_someone_elses_connection_cannot_be_disconnected(
    web, employee_a, member_factory, social_sandbox
):
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    colleague = member_factory(employee_a.organization)
    from django.test import Client

    other = Client()
    other.force_login(colleague.user)
    response = other.post(f"{connections_url(colleague)}{connection.pk}/disconnect/")
    assert response.status_code == 404
    connection.refresh_from_db()
    assert connection.status == Connection.Status.ACTIVE


def test_other_organizations_connection_is_a_404(web, employee_a, admin_b, social_sandbox):
    from django.test import Client

    connection = connect(web.as_member(admin_b), admin_b, "linkedin")
    client = Client()
    client.force_login(employee_a.user)
    response = client.post(f"{connections_url(employee_a)}{connection.pk}/disconnect/")
    assert response.status_code == 404
    connection.refresh_from_db()
    assert connection.status == Connection.Status.ACTIVE
    page = client.get(connections_url(employee_a)).content.decode()
    assert connection.handle not in page


def test_connections_page_queries_are_bounded(
    web, employee_a, social_sandbox, django_assert_max_num_queries
):
    client = web.as_member(employee_a)
    for network in ("linkedin", "x", "facebook"):
        connect(client, employee_a, network)
    with django_assert_max_num_queries(12):
        assert client.get(connections_url(employee_a)).status_code == 200


def test_rotation_command_runs(social_sandbox, web, employee_a):
    connect(web.as_member(employee_a), employee_a, "linkedin")
    call_command("rotate_social_tokens", verbosity=0)
