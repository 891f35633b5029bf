"""Sign-up, password reset and invitations are rate limited, and say when to come back.

Each test sends from its own address (allauth counts per IP, in the shared cache)."""

from __future__ import annotations

import random
import uuid

import pytest

from advocacy.tenancy import people_views
from advocacy.tenancy.models import Invitation

pytestmark = pytest.mark.django_db


def _ip() -> str:
    return f"198.51.100.{random.randint(1, 254)}"  # TEST-NET-2, unique enough per test


def _assert_limited(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Slow down" in response.content.decode() or "Too many" in response.content.decode()


def test_sign_up_is_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    ip = _ip()
    answers = [
        client.post(
            "/accounts/signup/",
            {"email": f"{uuid.uuid4().hex}@example.com", "password1": "x", "password2": "y"},
            REMOTE_ADDR=ip,
        )
        for _ in range(4)
    ]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]  # form errors, counted
    _assert_limited(answers[3])


def test_password_reset_is_limited_per_address_and_per_email(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "reset_password": "20/m/ip,2/m/key",
    }
    email = f"{uuid.uuid4().hex}@example.com"
    answers = [
        client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=_ip())
        for _ in range(3)
    ]
    assert [a.status_code for a in answers[:2]] == [302, 302]
    _assert_limited(answers[2])


def test_invitations_are_limited_per_person(web, org_a, admin_a, monkeypatch):
    monkeypatch.setattr(people_views, "INVITATIONS_PER_PERSON", "2/h")
    client = web.as_member(admin_a)
    url = f"/o/{org_a.slug}/people/invitations/"
    answers = [
        client.post(url, {"emails": f"new{n}@example.com", "role": "employee"}) for n in range(3)
    ]
    assert [a.status_code for a in answers[:2]] == [302, 302]
    limited = answers[2]
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many attempts" in limited.content.decode()
    assert Invitation.objects.for_org(org_a).count() == 2


def test_invitations_are_limited_per_organization(web, org_a, admin_a, member_factory, monkeypatch):
    monkeypatch.setattr(people_views, "INVITATIONS_PER_ORG", "1/h")
    other_admin = member_factory(org_a, admin_a.role)
    first = web.as_member(admin_a).post(
        f"/o/{org_a.slug}/people/invitations/", {"emails": "a@example.com", "role": "employee"}
    )
    second = web.as_member(other_admin).post(
        f"/o/{org_a.slug}/people/invitations/", {"emails": "b@example.com", "role": "employee"}
    )
    assert first.status_code == 302 and second.status_code == 429
    assert Invitation.objects.for_org(org_a).count() == 1
