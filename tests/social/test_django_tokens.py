"""Token lifecycle: refresh ahead of expiry and on a 401, reconnect marking,
expiry warnings, encryption at rest and key rotation."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from social import services
from social.crypto import decrypt_token
from social.models import Connection, ConnectionEvent
from social.providers.base import ReauthRequired

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, connections_url, social_sandbox  # noqa: F401

pytestmark = pytest.mark.django_db


def test_refreshes_ahead_of_expiry(web, employee_a, social_sandbox):
    social_sandbox.control.token_lifetimes("x", access=120)  # inside the refresh margin
    connection = connect(web.as_member(employee_a), employee_a, "x")
    before = decrypt_token(connection.token_ciphertext)
    token = services.connection_token(organization=employee_a.organization, connection=connection)
    assert token.access_token != before.access_token
    connection.refresh_from_db()
    assert decrypt_token(connection.token_ciphertext).access_token == token.access_token
    assert connection.expires_at == token.expires_at


def test_a_401_refreshes_once_and_retries_once(web, employee_a, social_sandbox):
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    before = decrypt_token(connection.token_ciphertext)
    social_sandbox.control.fault("linkedin", status=401, path="/rest/posts")
    org = employee_a.organization
    publication = services.publication_create(
        organization=org, connection=connection, text="Hello", link_url="", idempotency_key="k1"
    )
    publication = services.publication_execute(organization=org, publication=publication)
    assert publication.status == "published"
    connection.refresh_from_db()
    after = decrypt_token(connection.token_ciphertext)
    assert after.access_token != before.access_token
    assert after.refresh_token == before.refresh_token  # kept, never blanked
    assert len(social_sandbox.control.posts("linkedin")) == 1


def test_a_second_worker_reuses_the_refresh_instead_of_burning_the_rotated_token(
    web, employee_a, social_sandbox
):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    org = employee_a.organization
    seen = decrypt_token(connection.token_ciphertext)
    first = services.connection_token(organization=org, connection=connection, stale=seen)
    # Another worker got the same 401 with the same old token and asks too:
    stale_copy = Connection.objects.get(pk=connection.pk)
    second = services.connection_token(organization=org, connection=stale_copy, stale=seen)
    assert second.access_token == first.access_token
    connection.refresh_from_db()
    assert connection.status == Connection.Status.ACTIVE


def test_revoked_access_marks_the_connection_and_tells_the_employee(
    web, employee_a, social_sandbox, mailoutbox, django_capture_on_commit_callbacks
):
    client = web.as_member(employee_a)
    connection = connect(client, employee_a, "linkedin", handle="revoked.person")
    social_sandbox.control.revoke(handle="revoked.person", network="linkedin")
    org = employee_a.organization
    publication = services.publication_create(
        organization=org, connection=connection, text="Hi", link_url="", idempotency_key="k"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.publication_execute(organization=org, publication=publication)
    assert publication.status == "failed"
    assert "connect your account again" in publication.error
    connection.refresh_from_db()
    assert connection.status == Connection.Status.REAUTH_REQUIRED
    assert "revoked" in connection.last_error
    assert (
        ConnectionEvent.objects.filter(connection=connection, kind="reauth_required").count() == 1
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [employee_a.user.email]
    assert "Reconnect your LinkedIn account" in mail.subject
    assert connections_url(employee_a) in mail.body
    assert mail.alternatives and "text/html" == mail.alternatives[0][1]
    page = client.get(connections_url(employee_a)).content.decode()
    assert 'data-testid="reconnect-banner"' in page
    # further use does not email again and does not call the network
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReauthRequired):
        services.metrics_fetch(
            organization=org, connection=connection, external_ids=["urn:li:share:1"]
        )
    assert len(mailoutbox) == 1


def test_reconnect_email_speaks_the_employees_language(
    web, member_factory, org_a, social_sandbox, mailoutbox, django_capture_on_commit_callbacks
):
    person = member_factory(org_a)
    person.user.preferred_language = "id"
    person.user.save()
    connection = connect(
        web.as_member(person), person, "mastodon", instance_url=social_sandbox.url("mastodon")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.connection_mark_reauth(organization=org_a, connection=connection, error="revoked")
    assert len(mailoutbox) == 1
    assert "Hubungkan ulang" in mailoutbox[0].subject


def test_mastodon_401_needs_reconnecting_without_a_refresh(web, employee_a, social_sandbox):
    connection = connect(
        web.as_member(employee_a),
        employee_a,
        "mastodon",
        instance_url=social_sandbox.url("mastodon"),
    )
    social_sandbox.control.fault("mastodon", status=401)
    org = employee_a.organization
    publication = services.publication_create(
        organization=org, connection=connection, text="Hi", link_url="", idempotency_key="k"
    )
    assert (
        services.publication_execute(organization=org, publication=publication).status == "failed"
    )
    connection.refresh_from_db()
    assert connection.status == Connection.Status.REAUTH_REQUIRED


def test_expiry_warning_where_the_network_cannot_renew(
    web, employee_a, social_sandbox, settings, mailoutbox, django_capture_on_commit_callbacks
):
    x = social_sandbox.url("x")
    settings.SOCIAL_PROVIDERS = {
        "x": {
            "client_id": "chorus-x",
            "client_secret": "chorus-x-secret",
            "auth_base_url": x,
            "api_base_url": x,
            "scopes": ["tweet.read", "tweet.write", "users.read"],  # no offline.access
        }
    }
    connection = connect(web.as_member(employee_a), employee_a, "x")
    assert decrypt_token(connection.token_ciphertext).refresh_token is None
    org = employee_a.organization
    with django_capture_on_commit_callbacks(execute=True):
        assert services.connection_expiry_warn(organization=org) == 1
    connection.refresh_from_db()
    assert connection.status == Connection.Status.EXPIRING
    assert len(mailoutbox) == 1 and "expires soon" in mailoutbox[0].subject
    assert services.connection_expiry_warn(organization=org) == 0  # once per expiry
    page = web.get(connections_url(employee_a)).content.decode()
    assert 'data-testid="expiring-banner"' in page


def test_renewable_connections_are_not_warned(web, employee_a, social_sandbox, mailoutbox):
    social_sandbox.control.token_lifetimes("x", access=3600)
    connect(web.as_member(employee_a), employee_a, "x")
    assert services.connection_expiry_warn(organization=employee_a.organization) == 0
    assert mailoutbox == []


# --- encryption at rest -------------------------------------------------------------


def test_database_dump_holds_no_plaintext_token(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    secrets = []
    for network in ("linkedin", "x", "facebook"):
        token = decrypt_token(connect(client, employee_a, network).token_ciphertext)
        secrets += [token.access_token, token.refresh_token]
    connect(client, employee_a, "mastodon", instance_url=social_sandbox.url("mastodon"))
    app_secret = social_sandbox.app.state.apps.popitem()[1]["client_secret"]
    out = io.StringIO()
    call_command("dumpdata", "social", stdout=out)
    dump = out.getvalue()
    assert "token_ciphertext" in dump
    for secret in filter(None, [*secrets, app_secret]):
        assert secret not in dump


def test_new_key_keeps_connections_working_and_rotation_moves_them(
    web, employee_a, social_sandbox, settings
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SOCIAL_TOKEN_KEYS = [old]
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    original = connection.token_ciphertext
    org = employee_a.organization

    settings.SOCIAL_TOKEN_KEYS = [new, old]  # prepend the new key
    assert services.connection_token(organization=org, connection=connection).access_token
    call_command("rotate_social_tokens", stdout=io.StringIO())
    connection.refresh_from_db()
    assert connection.token_ciphertext != original
    assert Fernet(new.encode()).decrypt(connection.token_ciphertext.encode())

    settings.SOCIAL_TOKEN_KEYS = [new]  # the old key is gone
    publication = services.publication_create(
        organization=org,
        connection=connection,
        text="After rotation",
        link_url="",
        idempotency_key="r",
    )
    assert (
        services.publication_execute(organization=org, publication=publication).status
        == "published"
    )


def test_losing_every_key_pauses_as_configuration_not_a_crash_nor_a_reconnect(
    web, employee_a, social_sandbox, settings
):
    """Issue 16: a wrong key is our mistake; the employee is not asked to reconnect
    (tests/faults/test_token_keys.py follows it through publishing and recovery)."""
    from social import keycheck

    keycheck.forget()
    settings.SOCIAL_TOKEN_KEYS = [Fernet.generate_key().decode()]
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    settings.SOCIAL_TOKEN_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(keycheck.KeysMisconfigured):
        services.connection_token(organization=employee_a.organization, connection=connection)
    connection.refresh_from_db()
    assert connection.status == Connection.Status.ACTIVE
    keycheck.forget()
