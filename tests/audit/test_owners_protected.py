"""Only owners change an owner's role or active state, and the last owner stays,
whoever asks and however (page or API). A refusal says why and changes nothing."""

from __future__ import annotations

import pytest

from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db


def patch(api, actor, target, data):
    return api.as_member(actor).patch(
        f"/api/v1/orgs/{actor.organization.slug}/members/{target.pk}/", data, format="json"
    )


def snapshot(*memberships):
    for m in memberships:
        m.refresh_from_db()
    return [(m.role, m.is_active) for m in memberships]


@pytest.mark.parametrize("data", [{"role": "admin"}, {"is_active": False}])
def test_an_admin_cannot_demote_or_deactivate_an_owner(api, org_a, member_factory, data):
    owner, _other_owner = member_factory(org_a, Role.OWNER), member_factory(org_a, Role.OWNER)
    admin = member_factory(org_a, Role.ADMIN)
    response = patch(api, admin, owner, data)
    assert response.status_code == 400
    assert "Only an owner" in str(response.json())
    assert snapshot(owner) == [(Role.OWNER, True)]


def test_an_admin_cannot_reactivate_an_owner_either(api, org_a, member_factory):
    member_factory(org_a, Role.OWNER)
    gone = member_factory(org_a, Role.OWNER, is_active=False)
    admin = member_factory(org_a, Role.ADMIN)
    assert patch(api, admin, gone, {"is_active": True}).status_code == 400
    assert snapshot(gone) == [(Role.OWNER, False)]


def test_an_admin_still_manages_everyone_else(api, org_a, member_factory):
    member_factory(org_a, Role.OWNER)
    admin, person = member_factory(org_a, Role.ADMIN), member_factory(org_a, Role.EMPLOYEE)
    assert patch(api, admin, person, {"is_active": False}).status_code == 200
    assert snapshot(person) == [(Role.EMPLOYEE, False)]


def test_an_owner_demotes_or_deactivates_another_owner(api, org_a, member_factory):
    owner, other = member_factory(org_a, Role.OWNER), member_factory(org_a, Role.OWNER)
    assert patch(api, owner, other, {"is_active": False}).status_code == 200
    assert snapshot(other) == [(Role.OWNER, False)]


@pytest.mark.parametrize("data", [{"role": "admin"}, {"is_active": False}])
def test_the_last_owner_cannot_step_down_or_be_removed(api, org_a, member_factory, data):
    owner = member_factory(org_a, Role.OWNER)
    member_factory(org_a, Role.OWNER, is_active=False)  # an inactive owner does not count
    response = patch(api, owner, owner, data)
    assert response.status_code == 400
    assert "last one" in str(response.json())
    assert snapshot(owner) == [(Role.OWNER, True)]


def test_the_page_says_why_in_indonesian(web, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    owner.user.preferred_language = "id"
    owner.user.save()
    response = web.as_member(owner).post(
        f"/o/{org_a.slug}/people/{owner.pk}/edit/",
        {"role": "owner"},  # is_active unticked
    )
    assert response.status_code == 400
    assert "pemilik terakhir" in response.content.decode()
    assert snapshot(owner) == [(Role.OWNER, True)]
