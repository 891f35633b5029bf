"""What people see of the production guard and of LinkedIn's self-serve
tokens: networks without credentials are not offered and refuse to connect;
a 60-day LinkedIn token without refresh is announced before it ends, with a
link back to the connections page."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from social.models import Connection
from social.services.connections import connection_expiry_warn

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, connections_url, social_sandbox, start_connect  # noqa: F401

pytestmark = pytest.mark.django_db


def test_production_offers_only_networks_with_credentials(
    web, employee_a, social_sandbox, settings
):
    settings.PRODUCTION = True
    settings.SOCIAL_PROVIDERS = {
        "x": {
            "client_id": "chorus-x",
            "client_secret": "chorus-x-secret",
            "api_base_url": social_sandbox.url("x"),
        }
    }
    client = web.as_member(employee_a)
    page = client.get(connections_url(employee_a)).content.decode()
    assert "/connect/x/" in page
    for off in ("linkedin", "facebook", "bluesky"):
        assert f"/connect/{off}/" not in page
    assert 'value="http' not in page  # no Mastodon instance pre-filled

    refused = start_connect(client, employee_a, "linkedin")
    assert refused.status_code == 302
    assert refused["Location"] == connections_url(employee_a)  # not to LinkedIn
    shown = [str(m) for m in refused.wsgi_request._messages]
    assert any("not available on this Chorus server" in m for m in shown)
    assert not Connection.objects.filter(membership=employee_a).exists()


def test_linkedin_without_refresh_is_reminded_before_60_days(
    web, employee_a, social_sandbox, settings, django_capture_on_commit_callbacks
):
    settings.SOCIAL_LINKEDIN_ANALYTICS = False  # a self-serve app: no refresh tokens
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    assert connection.expires_at is not None
    assert connection.expires_at - connection.connected_at > timedelta(days=59)
    assert connection.followers is None  # not available without the CMA product

    # 53 days later nothing yet; 54 days later (6 left) the employee is told
    org = employee_a.organization
    assert (
        connection_expiry_warn(organization=org, now=connection.connected_at + timedelta(days=52))
        == 0
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        warned = connection_expiry_warn(
            organization=org, now=connection.expires_at - timedelta(days=6)
        )
    assert warned == 1
    connection.refresh_from_db()
    assert connection.status == Connection.Status.EXPIRING
    [email] = mail.outbox
    assert email.to == [employee_a.user.email]
    assert connections_url(employee_a) in email.body  # one tap back to reconnect
