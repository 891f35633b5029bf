"""SCIM Users as Okta and Microsoft Entra ID send them, checked against RFC 7644
and the providers' own documentation:

- Okta: "Okta and SCIM Version 2.0",
  https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
  (create with `groups: []` and a `password`, look-up by `userName eq`,
  deactivate with `{"op": "replace", "value": {"active": false}}` and no path).
- Entra: "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft
  Entra ID", https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
  (ops capitalised, `emails[type eq "work"].value`, `name.givenName`, the enterprise
  manager set with a bare id, and `active` sent as the string "False").
"""

from __future__ import annotations

import pytest

from advocacy.audit.models import AuditEntry
from advocacy.identity.scim.models import ScimUser
from advocacy.tenancy.models import Membership, Role

from .scim_client import ENTERPRISE, ERROR, PATCH, USER, scim_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(org_a, member_factory):
    return member_factory(org_a, Role.OWNER)


@pytest.fixture
def okta(org_a, owner):
    return scim_client_for(org_a, owner, name="Okta")


def okta_user(email="ann.lee@acme.io", **extra):
    # The body of Okta's "Create the User" request (developer.okta.com, scim-20).
    return {
        "schemas": [USER],
        "userName": email,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"primary": True, "value": email, "type": "work"}],
        "displayName": "Ann Lee",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        **extra,
    }


def membership_of(org, email):
    return Membership.objects.for_org(org).get(user__email=email)


def test_okta_creates_a_person_who_becomes_an_active_member(okta, org_a):
    response = okta.post("/Users", okta_user())

    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json_body
    assert body["userName"] == "ann.lee@acme.io"
    assert body["active"] is True
    assert "password" not in body
    membership = membership_of(org_a, "ann.lee@acme.io")
    assert body["id"] == str(membership.pk)
    assert membership.is_active and membership.role == Role.EMPLOYEE
    assert response["Location"].endswith(f"/Users/{membership.pk}")
    entry = AuditEntry.objects.for_org(org_a).get(action="scim.user_provisioned")
    assert entry.actor_label == "SCIM token Okta"


def test_okta_looks_a_person_up_by_user_name_and_pages_through_everyone(okta, org_a):
    for n in range(3):
        assert okta.post("/Users", okta_user(f"p{n}@acme.io")).status_code == 201

    found = okta.get('/Users?filter=userName eq "P1@acme.io"&startIndex=1&count=100').json_body
    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "p1@acme.io"
    missing = okta.get('/Users?filter=userName eq "nobody@acme.io"').json_body
    assert missing["totalResults"] == 0 and missing.get("Resources", []) == []

    # 3 provisioned + the owner; pages are 1-based (RFC 7644 §3.4.2.4)
    page = okta.get("/Users?startIndex=2&count=2").json_body
    assert page["totalResults"] == 4
    assert page["startIndex"] == 2
    assert page["itemsPerPage"] == 2
    assert len(page["Resources"]) == 2

    by_external = okta.get('/Users?filter=externalId eq "00ujl29u0le5T6Aj10h7"').json_body
    assert by_external["totalResults"] == 3


def test_okta_deactivates_and_reactivates_keeping_the_same_membership(okta, org_a):
    user_id = okta.post("/Users", okta_user()).json_body["id"]

    off = okta.patch(
        f"/Users/{user_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert off.status_code == 200
    assert off.json_body["active"] is False
    membership = membership_of(org_a, "ann.lee@acme.io")
    assert membership.is_active is False
    assert AuditEntry.objects.for_org(org_a).filter(action="member.deactivated").exists()

    on = okta.patch(
        f"/Users/{user_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": True}}]},
    )
    assert on.json_body["active"] is True
    assert membership_of(org_a, "ann.lee@acme.io").pk == membership.pk
    assert membership_of(org_a, "ann.lee@acme.io").is_active is True


def test_entra_patch_forms_are_understood(okta, org_a, owner):
    user_id = okta.post("/Users", okta_user()).json_body["id"]
    body = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "Replace", "path": "name.givenName", "value": "Annie"},
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "annie@acme.io"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(owner.pk)},
            {"op": "Replace", "path": "title", "value": "Field marketer"},
            {"op": "Replace", "path": "active", "value": "False"},
        ],
    }

    response = okta.patch(f"/Users/{user_id}", body)

    assert response.status_code == 200, response.json_body
    user = response.json_body
    assert user["name"]["givenName"] == "Annie"
    assert user["emails"][0]["value"] == "annie@acme.io"
    assert user["active"] is False
    assert user[ENTERPRISE]["manager"]["value"] == str(owner.pk)
    membership = Membership.objects.for_org(org_a).get(pk=user_id)
    assert membership.manager_id == owner.pk
    assert membership.job_title == "Field marketer"
    assert membership.is_active is False


def test_an_invalid_patch_path_is_refused_and_changes_nothing(okta, org_a):
    user_id = okta.post("/Users", okta_user()).json_body["id"]

    response = okta.patch(
        f"/Users/{user_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "path": "active", "value": False},
                {"op": "replace", "path": "favouriteColour", "value": "teal"},
            ],
        },
    )

    assert response.status_code == 400
    assert response.json_body["schemas"] == [ERROR]
    assert response.json_body["scimType"] == "invalidPath"
    assert membership_of(org_a, "ann.lee@acme.io").is_active is True
    refused = AuditEntry.objects.for_org(org_a).get(action="scim.request_refused")
    assert refused.details["scimType"] == "invalidPath"


def test_an_unknown_attribute_is_refused_and_nobody_is_created(okta, org_a):
    # RFC 7644 §3.12: invalidSyntax, "did not conform to the request schema".
    response = okta.post("/Users", okta_user(shoeSize=44))

    assert response.status_code == 400
    assert response.json_body["scimType"] == "invalidSyntax"
    assert not Membership.objects.for_org(org_a).filter(user__email="ann.lee@acme.io").exists()
    assert AuditEntry.objects.for_org(org_a).filter(action="scim.request_refused").exists()


def test_a_person_without_an_email_address_is_refused(okta, org_a):
    response = okta.post("/Users", {"schemas": [USER], "userName": "annlee", "active": True})

    assert response.status_code == 400
    assert response.json_body["schemas"] == [ERROR]
    assert not ScimUser.objects.for_org(org_a).exists()


def test_the_same_user_name_twice_is_a_uniqueness_conflict(okta):
    assert okta.post("/Users", okta_user()).status_code == 201

    again = okta.post("/Users", okta_user())

    assert again.status_code == 409
    assert again.json_body["scimType"] == "uniqueness"


def test_delete_deprovisions_keeps_history_and_provisioning_again_reactivates(okta, org_a):
    user_id = okta.post("/Users", okta_user()).json_body["id"]

    assert okta.delete(f"/Users/{user_id}").status_code == 204
    assert okta.get(f"/Users/{user_id}").status_code == 404
    kept = membership_of(org_a, "ann.lee@acme.io")
    assert kept.is_active is False  # the membership and all that hangs on it remain

    again = okta.post("/Users", okta_user())
    assert again.status_code == 201
    assert again.json_body["id"] == str(kept.pk)
    assert membership_of(org_a, "ann.lee@acme.io").is_active is True


def test_a_put_replaces_the_directory_details(okta, org_a):
    user_id = okta.post("/Users", okta_user()).json_body["id"]
    replacement = okta_user(title="Recruiter", name={"givenName": "Ann", "familyName": "Smith"})

    response = okta.put(f"/Users/{user_id}", replacement)

    assert response.status_code == 200
    assert response.json_body["name"]["familyName"] == "Smith"
    assert membership_of(org_a, "ann.lee@acme.io").job_title == "Recruiter"


def test_a_user_name_lookup_costs_the_same_in_a_big_organization(okta, org_a, member_factory):
    """Okta and Entra look every person up by userName before creating them; the
    lookup is answered by the database, not by reading the whole organization."""
    okta.post("/Users", okta_user())
    okta.get('/Users?filter=userName eq "ann.lee@acme.io"')  # warm caches (content types, ...)

    def lookup_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            found = okta.get('/Users?filter=userName eq "ann.lee@acme.io"').json_body
        assert found["totalResults"] == 1
        return len(captured.captured_queries)

    small = lookup_queries()
    for _ in range(40):
        member_factory(org_a)
    assert lookup_queries() == small
