"""Connection-expiry warnings (issue 19.3), from the networks' own token rules as the
sandbox serves them: LinkedIn's self-serve tokens end after 60 days with no refresh
token, LinkedIn partners' refresh tokens end a year after consent however often they
are used, Bluesky's refresh JWT ends about 90 days after it was issued and rotates.
The employee hears once per expiry, in the app and by e-mail in their language, and
the health screen counts the connection as expiring."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from social import selectors, services
from social.crypto import decrypt_token
from social.models import Connection, ConnectionEvent
from social.services.tokens import connection_token

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, connections_url, social_sandbox, start_connect  # noqa: F401

pytestmark = pytest.mark.django_db
DAY = 86400


def _health(org):
    return selectors.connection_health(organization=org).totals


def test_a_partner_refresh_token_that_ends_is_warned_once_in_the_members_language(
    web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    # LinkedIn keeps the same refresh token and says how long it has left
    # (refresh_token_expires_in); here it has five days.
    social_sandbox.control.token_lifetimes("linkedin", access=DAY, refresh=5 * DAY)
    employee_a.user.preferred_language = "id"
    employee_a.user.save(update_fields=["preferred_language"])
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    assert decrypt_token(connection.token_ciphertext).refresh_token
    ends = connection.renewable_until
    assert ends is not None
    assert timedelta(days=4.9) < ends - timezone.now() <= timedelta(days=5)
    org = employee_a.organization
    assert _health(org).expiring == 1  # counted before any job ran

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.connection_expiry_warn(organization=org) == 1
    connection.refresh_from_db()
    assert connection.status == Connection.Status.EXPIRING
    [email] = mail.outbox
    assert email.to == [employee_a.user.email]
    assert email.subject == "Koneksi LinkedIn Anda segera kedaluwarsa"
    assert connections_url(employee_a) in email.body
    assert ConnectionEvent.objects.filter(connection=connection, kind="expiring").count() == 1

    # Renewing the 1-day access token does not move the refresh token's end: no second warning.
    connection_token(
        organization=org,
        connection=connection,
        stale=decrypt_token(connection.token_ciphertext),
    )
    connection.refresh_from_db()
    assert connection.expiry_warned_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.connection_expiry_warn(organization=org) == 0
    assert len(mail.outbox) == 1
    assert _health(org).expiring == 1


def test_a_rotating_refresh_token_is_renewed_by_chorus_instead_of_warned(
    web, employee_a, social_sandbox, mailoutbox
):
    # Bluesky: each refresh brings a new refresh JWT with a new end.
    social_sandbox.control.token_lifetimes("bluesky", refresh=10 * DAY)
    client = web.as_member(employee_a)
    start_connect(
        client, employee_a, "bluesky", handle="emma.bsky.social", app_password="abcd-efgh-ijkl-mnop"
    )
    connection = Connection.objects.get(membership=employee_a, network="bluesky")
    first_end = connection.renewable_until
    assert first_end is not None and first_end - timezone.now() > timedelta(days=9.9)

    # Six quiet days later (on both clocks) the session has four days left.
    social_sandbox.control.advance(6 * DAY)
    later = timezone.now() + timedelta(days=6)
    assert services.connection_expiry_warn(organization=employee_a.organization, now=later) == 0
    connection.refresh_from_db()
    assert connection.status == Connection.Status.ACTIVE
    assert connection.renewable_until - first_end > timedelta(days=5.9)
    assert mailoutbox == []


def test_access_that_already_ended_needs_reconnecting(
    web, employee_a, social_sandbox, settings, django_capture_on_commit_callbacks
):
    settings.SOCIAL_LINKEDIN_ANALYTICS = False  # self-serve: 60 days, no refresh token
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    org = employee_a.organization
    after = connection.renewable_until + timedelta(hours=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.connection_expiry_warn(organization=org, now=after) == 0
    connection.refresh_from_db()
    assert connection.status == Connection.Status.REAUTH_REQUIRED
    assert "Access ended" in connection.last_error
    [email] = mail.outbox  # the reconnect e-mail, once
    assert connections_url(employee_a) in email.body
    assert _health(org).broken == 1


def test_the_warning_window_is_a_setting(web, employee_a, social_sandbox, settings):
    settings.SOCIAL_LINKEDIN_ANALYTICS = False
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    org = employee_a.organization
    twenty_days_before = connection.renewable_until - timedelta(days=20)
    assert services.connection_expiry_warn(organization=org, now=twenty_days_before) == 0
    settings.SOCIAL_EXPIRY_WARN_DAYS = 21
    assert services.connection_expiry_warn(organization=org, now=twenty_days_before) == 1


def test_the_notice_shows_on_other_pages_with_the_way_back(
    web, employee_a, member_factory, social_sandbox, settings
):
    settings.SOCIAL_LINKEDIN_ANALYTICS = False
    client = web.as_member(employee_a)
    connection = connect(client, employee_a, "linkedin")
    org = employee_a.organization
    prompt = reverse("social:expiry_prompt", kwargs={"org_slug": org.slug})
    feed = "http://testserver" + reverse("campaigns:feed", kwargs={"org_slug": org.slug})
    assert (
        'data-testid="connection-expiry-prompt"'
        not in client.get(prompt, HTTP_HX_CURRENT_URL=feed).content.decode()
    )

    services.connection_expiry_warn(
        organization=org, now=connection.renewable_until - timedelta(days=3)
    )
    page = client.get(prompt, HTTP_HX_CURRENT_URL=feed).content.decode()
    assert 'data-testid="connection-expiry-prompt"' in page
    assert f'href="{connections_url(employee_a)}"' in page
    assert "LinkedIn" in page and connection.handle in page
    # The connections page says it in full already.
    on_page = client.get(
        prompt, HTTP_HX_CURRENT_URL="http://testserver" + connections_url(employee_a)
    )
    assert 'data-testid="connection-expiry-prompt"' not in on_page.content.decode()
    # Nobody else sees it.
    colleague = member_factory(org)
    other = web.as_member(colleague).get(prompt, HTTP_HX_CURRENT_URL=feed).content.decode()
    assert 'data-testid="connection-expiry-prompt"' not in other


def test_the_demo_has_connections_in_every_state(org_a, member_factory, admin_a):
    from social import demo

    people = {"admin": admin_a, "manager": member_factory(org_a, "manager")}
    people["curator"] = member_factory(org_a, "curator")
    for n in range(1, 6):
        people[f"employee{n}"] = member_factory(org_a)
    demo.seed(organization=org_a, people=people)
    demo.seed(organization=org_a, people=people)  # idempotent
    totals = _health(org_a)
    assert totals.connected >= 4
    assert totals.expiring == 2  # one warned, one whose warning is due
    assert totals.broken == 2  # access ended, access revoked
    states = set(Connection.objects.filter(organization=org_a).values_list("status", flat=True))
    assert states == {"active", "expiring", "reauth_required", "disconnected"}
    assert Connection.objects.filter(organization=org_a).count() == 11
