"""SCIM Groups are Chorus teams. Membership changes in the forms Okta
(developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20: "Update a specific
Group membership" with `members[value eq "<id>"]`) and Entra (learn.microsoft.com,
use-scim-to-provision-users-and-groups: "Update Group [Add Members]" with
`"path": "members"` and `"$ref": null`) send them."""

from __future__ import annotations

import pytest

from advocacy.tenancy.models import Membership, Role, Team

from .scim_client import GROUP, PATCH, USER, scim_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim(org_a, member_factory):
    return scim_client_for(org_a, member_factory(org_a, Role.OWNER), name="Entra")


def person(scim, email):
    body = {
        "schemas": [USER],
        "userName": email,
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }
    return scim.post("/Users", body).json_body["id"]


def test_a_group_becomes_a_team_with_its_members(scim, org_a):
    ann = person(scim, "ann@acme.io")

    response = scim.post(
        "/Groups", {"schemas": [GROUP], "displayName": "Sales", "members": [{"value": ann}]}
    )

    assert response.status_code == 201
    team = Team.objects.for_org(org_a).get(pk=response.json_body["id"])
    assert team.name == "Sales"
    assert Membership.objects.for_org(org_a).get(pk=ann).team_id == team.pk
    found = scim.get('/Groups?filter=displayName eq "sales"').json_body
    assert found["totalResults"] == 1
    assert found["Resources"][0]["members"] == [
        {"value": ann, "$ref": f"http://testserver{scim.base}/Users/{ann}", "type": "User"}
    ]


def test_entra_adds_and_okta_removes_members(scim, org_a):
    ann, bob = person(scim, "ann@acme.io"), person(scim, "bob@acme.io")
    group_id = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Sales"}).json_body["id"]

    added = scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {
                    "op": "Add",
                    "path": "members",
                    "value": [{"$ref": None, "value": ann}, {"$ref": None, "value": bob}],
                }
            ],
        },
    )
    assert added.status_code == 200, added.json_body
    in_team = set(
        Membership.objects.for_org(org_a).filter(team_id=group_id).values_list("pk", flat=True)
    )
    assert in_team == {int(ann), int(bob)}

    removed = scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "remove", "path": f'members[value eq "{ann}"]'}],
        },
    )
    assert removed.status_code == 200
    assert Membership.objects.for_org(org_a).get(pk=ann).team_id is None
    assert Membership.objects.for_org(org_a).get(pk=bob).team_id == int(group_id)


def test_renaming_and_deleting_a_group(scim, org_a):
    group_id = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Sales"}).json_body["id"]

    renamed = scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "path": "displayName", "value": "Revenue"}],
        },
    )
    assert renamed.json_body["displayName"] == "Revenue"
    assert Team.objects.for_org(org_a).get(pk=group_id).name == "Revenue"

    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert not Team.objects.for_org(org_a).filter(pk=group_id).exists()


def test_a_member_from_nowhere_is_refused(scim, org_a):
    response = scim.post(
        "/Groups", {"schemas": [GROUP], "displayName": "Sales", "members": [{"value": "999999"}]}
    )

    assert response.status_code == 400
    assert response.json_body["scimType"] == "invalidValue"
    assert not Team.objects.for_org(org_a).filter(name="Sales").exists()


def test_a_group_named_like_an_existing_team_is_a_uniqueness_conflict(scim, org_a):
    Team.objects.create(
        organization=org_a,
        name="Sales",
        parent=Team.objects.create(organization=org_a, name="EMEA"),
    )

    response = scim.post("/Groups", {"schemas": [GROUP], "displayName": "SALES"})

    assert response.status_code == 409
    assert response.json_body["scimType"] == "uniqueness"


def test_entra_removes_a_member_by_value(scim, org_a):
    # Entra's "Update Group [Remove Members]": path "members" with the values to remove.
    ann, bob = person(scim, "ann@acme.io"), person(scim, "bob@acme.io")
    group = {
        "schemas": [GROUP],
        "displayName": "Sales",
        "members": [{"value": ann}, {"value": bob}],
    }
    group_id = scim.post("/Groups", group).json_body["id"]

    response = scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": ann}]}
            ],
        },
    )

    assert response.status_code == 200, response.json_body
    assert Membership.objects.for_org(org_a).get(pk=ann).team_id is None
    assert Membership.objects.for_org(org_a).get(pk=bob).team_id == int(group_id)
