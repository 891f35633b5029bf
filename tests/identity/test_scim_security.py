"""The attacker's view of SCIM: tokens, other organizations, other people.

RFC 7644 §2: a request without valid credentials is a 401. Chorus adds: an
unknown organization answers like a wrong token (nothing is learned), another
organization's ids are a 404 with no change, a person who also belongs to
another organization keeps their data there, and a token is kept only hashed."""

from __future__ import annotations

import pytest

from advocacy.audit.models import AuditEntry
from advocacy.identity.scim.models import ScimToken
from advocacy.identity.scim.tokens import scim_token_revoke
from advocacy.tenancy.models import Membership, Role

from .scim_client import ERROR, PATCH, USER, ScimClient, scim_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_a(org_a, member_factory):
    return member_factory(org_a, Role.OWNER)


@pytest.fixture
def owner_b(org_b, member_factory):
    return member_factory(org_b, Role.OWNER)


def new_user(email):
    return {
        "schemas": [USER],
        "userName": email,
        "emails": [{"value": email, "primary": True}],
        "name": {"givenName": "Mallory"},
        "displayName": "Mallory",
        "active": True,
    }


@pytest.mark.parametrize("header", ["Bearer chorus_scim_wrong", "Basic Zm9vOmJhcg==", None])
def test_a_wrong_or_missing_token_is_401_with_an_audit_entry(org_a, owner_a, header):
    client = ScimClient(org_a, "unused")
    client.headers = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.post("/Users", new_user("eve@acme.io"))

    assert response.status_code == 401
    assert response.json_body["schemas"] == [ERROR]
    assert not Membership.objects.for_org(org_a).filter(user__email="eve@acme.io").exists()
    entry = AuditEntry.objects.for_org(org_a).get(action="scim.request_refused")
    assert entry.details["status"] == 401


def test_a_revoked_token_stops_working(org_a, owner_a):
    client = scim_client_for(org_a, owner_a)
    assert client.get("/Users").status_code == 200
    token = ScimToken.objects.for_org(org_a).get()

    scim_token_revoke(organization=org_a, actor=owner_a, token=token)

    assert client.get("/Users").status_code == 401


def test_the_token_is_kept_only_as_a_hash(org_a, owner_a):
    client = scim_client_for(org_a, owner_a)
    raw = client.headers["HTTP_AUTHORIZATION"].split()[1]
    token = ScimToken.objects.for_org(org_a).get()

    assert raw not in (token.token_hash, token.prefix, token.name)
    assert len(token.token_hash) == 64 and len(raw) > 40


def test_another_organizations_token_or_an_unknown_organization_is_the_same_401(
    org_a, org_b, owner_b
):
    client_b = scim_client_for(org_b, owner_b)
    at_a = ScimClient(org_a, client_b.headers["HTTP_AUTHORIZATION"].split()[1])
    at_nowhere = ScimClient(org_a, client_b.headers["HTTP_AUTHORIZATION"].split()[1])
    at_nowhere.base = "/scim/v2/orgs/no-such-org"

    for client in (at_a, at_nowhere):
        response = client.post("/Users", new_user("eve@acme.io"))
        assert response.status_code == 401
        assert response.json_body["detail"] == "Missing, wrong or revoked SCIM token."
    assert not Membership.objects.filter(user__email="eve@acme.io").exists()


def test_another_organizations_ids_are_not_found_and_nothing_changes(
    org_a, org_b, owner_a, member_factory
):
    bob_in_b = member_factory(org_b)
    client = scim_client_for(org_a, owner_a)
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}

    assert client.get(f"/Users/{bob_in_b.pk}").status_code == 404
    assert client.patch(f"/Users/{bob_in_b.pk}", off).status_code == 404
    assert client.delete(f"/Users/{bob_in_b.pk}").status_code == 404
    assert client.put(f"/Users/{bob_in_b.pk}", new_user(bob_in_b.user.email)).status_code == 404

    bob_in_b.refresh_from_db()
    assert bob_in_b.is_active is True
    assert (
        client.get(f'/Users?filter=userName eq "{bob_in_b.user.email}"').json_body["totalResults"]
        == 0
    )


def test_a_person_in_another_organization_keeps_their_data_there(
    org_a, org_b, owner_a, member_factory
):
    carol_in_b = member_factory(org_b, job_title="CFO")
    carol_in_b.user.name = "Carol Original"
    carol_in_b.user.save()
    client = scim_client_for(org_a, owner_a)

    created = client.post("/Users", new_user(carol_in_b.user.email))

    assert created.status_code == 201
    assert created.json_body["displayName"] == "Mallory"  # what org A's provider sent, nothing of B
    assert "CFO" not in str(created.json_body)
    carol_in_b.refresh_from_db()
    carol_in_b.user.refresh_from_db()
    assert carol_in_b.user.name == "Carol Original"
    assert carol_in_b.job_title == "CFO" and carol_in_b.is_active

    client.delete(f"/Users/{created.json_body['id']}")
    carol_in_b.refresh_from_db()
    assert carol_in_b.is_active is True


def test_scim_cannot_deactivate_an_owner(org_a, owner_a):
    client = scim_client_for(org_a, owner_a)
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}

    response = client.patch(f"/Users/{owner_a.pk}", off)

    assert response.status_code == 400
    owner_a.refresh_from_db()
    assert owner_a.is_active is True
