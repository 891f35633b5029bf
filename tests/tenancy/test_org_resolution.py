"""Requests under /o/<slug>/ and /api/v1/orgs/<slug>/ resolve the organization once."""

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Team

pytestmark = pytest.mark.django_db


def test_member_sees_their_organization_home(web, admin_a):
    response = web.as_member(admin_a).get(f"/o/{admin_a.organization.slug}/")
    assert response.status_code == 200
    assert admin_a.organization.name in response.content.decode()


def test_unknown_org_slug_is_404(web, admin_a):
    assert web.as_member(admin_a).get("/o/no-such-org/").status_code == 404
    assert web.get("/api/v1/orgs/no-such-org/").status_code in (401, 403, 404)


def test_non_member_gets_the_same_404_as_an_unknown_org(web, admin_a, org_b):
    client = web.as_member(admin_a)
    unknown = client.get("/o/no-such-org/")
    foreign = client.get(f"/o/{org_b.slug}/")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content


def test_anonymous_visitor_is_sent_to_sign_in(web, org_a):
    response = web.get(f"/o/{org_a.slug}/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_api_member_of_other_org_gets_404_for_the_org_and_its_objects(api, admin_a, org_b):
    foreign_team = Team.objects.create(organization=org_b, name="Secret")
    client = api.as_member(admin_a)
    assert client.get(f"/api/v1/orgs/{org_b.slug}/").status_code == 404
    assert client.get(f"/api/v1/orgs/{org_b.slug}/teams/{foreign_team.pk}/").status_code == 404
    # the token of org A cannot even be used inside org A's URL to reach B's team
    assert (
        client.get(f"/api/v1/orgs/{admin_a.organization.slug}/teams/{foreign_team.pk}/").status_code
        == 404
    )
    response = client.patch(
        f"/api/v1/orgs/{admin_a.organization.slug}/teams/{foreign_team.pk}/",
        {"name": "Pwned"},
        format="json",
    )
    assert response.status_code == 404
    foreign_team.refresh_from_db()
    assert foreign_team.name == "Secret"


def test_token_of_org_a_is_not_accepted_in_org_b_even_for_a_member_of_both(
    api, admin_a, org_b, member_factory
):
    member_factory(org_b, user=admin_a.user)
    client = api.as_member(admin_a)  # token issued for org A
    assert client.get(f"/api/v1/orgs/{admin_a.organization.slug}/").status_code == 200
    assert client.get(f"/api/v1/orgs/{org_b.slug}/").status_code == 404


def test_referencing_another_orgs_team_reads_like_a_missing_one(api, admin_a, org_b):
    foreign = Team.objects.create(organization=org_b, name="Theirs")
    client = api.as_member(admin_a)
    url = f"/api/v1/orgs/{admin_a.organization.slug}/teams/"
    missing = client.post(url, {"name": "Ours", "parent": 999999}, format="json")
    theirs = client.post(url, {"name": "Ours", "parent": foreign.pk}, format="json")
    assert missing.status_code == theirs.status_code == 400
    assert missing.json()["errors"]["parent"][0].replace("999999", "X") == theirs.json()["errors"][
        "parent"
    ][0].replace(str(foreign.pk), "X")
    assert not Team.objects.filter(name="Ours").exists()
