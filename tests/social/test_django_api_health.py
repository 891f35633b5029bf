"""API (own connections, admins' health) and the health screen, with the two-org case."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Team
from social import services
from social.models import Connection, ConnectionEvent

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, social_sandbox  # noqa: F401

pytestmark = pytest.mark.django_db


def api_base(membership) -> str:
    return f"/api/v1/orgs/{membership.organization.slug}/social"


@pytest.fixture
def connected(web, employee_a, social_sandbox):
    client = web.as_member(employee_a)
    return [connect(client, employee_a, n) for n in ("linkedin", "x")]


def test_api_lists_only_my_connections_without_tokens(
    api, employee_a, member_factory, connected, social_sandbox, web
):
    colleague = member_factory(employee_a.organization)
    from django.test import Client

    other = Client()
    other.force_login(colleague.user)
    connect(other, colleague, "facebook")
    response = api.as_member(employee_a).get(f"{api_base(employee_a)}/connections/")
    assert response.status_code == 200
    rows = response.json()
    rows = rows.get("results", rows)
    assert sorted(r["network"] for r in rows) == ["linkedin", "x"]
    assert "token_ciphertext" not in response.content.decode()
    assert all(r["followers"] is not None for r in rows)


def test_api_disconnect_own(api, employee_a, connected):
    target = connected[0]
    response = api.as_member(employee_a).post(
        f"{api_base(employee_a)}/connections/{target.pk}/disconnect/"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "disconnected"
    target.refresh_from_db()
    assert target.token_ciphertext == ""


def test_api_other_org_connection_is_404_and_unchanged(
    api, admin_b, employee_a, web, social_sandbox
):
    theirs = connect(web.as_member(admin_b), admin_b, "linkedin")
    client = api.as_member(employee_a)
    assert client.get(f"{api_base(employee_a)}/connections/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"{api_base(employee_a)}/connections/{theirs.pk}/disconnect/").status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/orgs/{admin_b.organization.slug}/social/connections/{theirs.pk}/disconnect/"
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == Connection.Status.ACTIVE and theirs.token_ciphertext


def test_api_colleagues_connection_is_404(api, employee_a, member_factory, connected):
    colleague = member_factory(employee_a.organization)
    response = api.as_member(colleague).post(
        f"{api_base(colleague)}/connections/{connected[0].pk}/disconnect/"
    )
    assert response.status_code == 404
    connected[0].refresh_from_db()
    assert connected[0].status == Connection.Status.ACTIVE


def test_api_health_is_for_admins(api, employee_a, admin_a, connected):
    assert api.as_member(employee_a).get(f"{api_base(employee_a)}/health/").status_code == 403
    org = employee_a.organization
    services.connection_mark_reauth(
        organization=org, connection=connected[1], error="x revoked the token"
    )
    client = api.as_member(admin_a)
    rows = client.get(f"{api_base(admin_a)}/health/?status=reauth_required").json()
    rows = rows.get("results", rows)
    assert [(r["network"], r["email"], r["last_error"]) for r in rows] == [
        ("x", employee_a.user.email, "x revoked the token")
    ]
    summary = client.get(f"{api_base(admin_a)}/health/summary/").json()
    assert summary["totals"] == {"label": "", "connected": 1, "expiring": 0, "broken": 1}


def test_health_screen_counts_per_network_and_team(
    web, admin_a, employee_a, member_factory, social_sandbox, django_assert_max_num_queries
):
    org = employee_a.organization
    sales = Team.objects.create(organization=org, name="Sales")
    employee_a.team = sales
    employee_a.save()
    client = web.as_member(employee_a)
    li = connect(client, employee_a, "linkedin")
    connect(client, employee_a, "x")
    services.connection_mark_reauth(
        organization=org, connection=li, error="LinkedIn access was revoked by the member"
    )
    services.connection_event_record(
        organization=org,
        network="facebook",
        kind=ConnectionEvent.Kind.ERROR,
        membership=employee_a,
        message="Connecting failed: consent not given",
    )
    page_url = reverse("social:health", kwargs={"org_slug": org.slug})
    admin = web.as_member(admin_a)
    with django_assert_max_num_queries(15):
        response = admin.get(page_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="total-connected">1<' in html
    assert 'data-testid="total-broken">1<' in html
    assert "Sales" in html
    assert "LinkedIn access was revoked by the member" in html
    assert "consent not given" in html


def test_health_screen_is_admins_only(web, employee_a, social_sandbox):
    url = reverse("social:health", kwargs={"org_slug": employee_a.organization.slug})
    assert web.as_member(employee_a).get(url).status_code == 403


def test_health_screen_shows_no_other_org(web, admin_a, admin_b, social_sandbox):
    theirs = connect(web.as_member(admin_b), admin_b, "linkedin")
    services.connection_mark_reauth(
        organization=admin_b.organization, connection=theirs, error="secret-error-of-b"
    )
    from django.test import Client

    client = Client()
    client.force_login(admin_a.user)
    html = client.get(
        reverse("social:health", kwargs={"org_slug": admin_a.organization.slug})
    ).content.decode()
    assert "secret-error-of-b" not in html
    assert 'data-testid="total-broken">0<' in html
