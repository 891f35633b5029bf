"""A sequence of admin actions, made the way admins make them (pages and API),
then read back on the audit trail page in the order they happened."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from advocacy.accounts.models import ApiToken
from advocacy.audit.models import AuditEntry
from advocacy.tenancy.models import Role, Team

pytestmark = pytest.mark.django_db


def shown_actions(body: str) -> list[str]:
    return re.findall(r'<li class="list-group-item" data-action="([^"]+)"', body)


def test_trail_page_after_a_sequence_of_admin_actions(web, api, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    person = member_factory(org_a, Role.EMPLOYEE)
    base = f"/api/v1/orgs/{org_a.slug}"
    client = api.as_member(owner)  # creating the API token is itself recorded

    team_id = client.post(f"{base}/teams/", {"name": "Field sales"}, format="json").json()["id"]
    client.patch(f"{base}/teams/{team_id}/", {"name": "Sales"}, format="json")
    client.patch(f"{base}/members/{person.pk}/", {"role": "curator"}, format="json")
    client.patch(f"{base}/members/{person.pk}/", {"is_active": False}, format="json")
    web.as_member(owner).post(
        reverse("tenancy:settings", kwargs={"org_slug": org_a.slug}),
        {
            "name": org_a.name,
            "timezone": "UTC",
            "default_language": "en",
            "currency": "USD",
            "allowed_signin_domains": "example.com",
            "sso_required": "on",
        },
    )
    client.delete(f"{base}/teams/{team_id}/")
    assert not Team.objects.for_org(org_a).filter(pk=team_id).exists()
    token = ApiToken.objects.for_org(org_a).get(user=owner.user)
    web.post(reverse("accounts:token_revoke", kwargs={"org_slug": org_a.slug, "pk": token.pk}))

    body = web.get(reverse("audit:trail", kwargs={"org_slug": org_a.slug})).content.decode()
    assert shown_actions(body)[::-1] == [
        "api_token.created",
        "team.created",
        "team.renamed",
        "member.role_changed",
        "member.deactivated",
        "sso.settings_changed",
        "team.deleted",
        "api_token.revoked",
    ]
    role_change = AuditEntry.objects.for_org(org_a).get(action="member.role_changed")
    assert role_change.details == {"from": "employee", "to": "curator"}
    assert role_change.actor_label == owner.user.email
    assert role_change.target_label == str(person.user)
    assert role_change.ip_hash  # the request's address, hashed
    sso = AuditEntry.objects.for_org(org_a).get(action="sso.settings_changed")
    assert sso.details == {"allowed_signin_domains": "example.com", "sso_required": True}


def test_a_refused_change_leaves_no_entry(api, org_a, member_factory):
    admin = member_factory(org_a, Role.ADMIN)
    owner = member_factory(org_a, Role.OWNER)
    response = api.as_member(admin).patch(
        f"/api/v1/orgs/{org_a.slug}/members/{owner.pk}/", {"role": "employee"}, format="json"
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.for_org(org_a).filter(action__startswith="member.").exists()
