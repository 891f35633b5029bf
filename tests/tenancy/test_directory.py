"""The directory: admins see and change everyone, managers see their own team tree,
employees and curators do not open it."""

import re

import pytest

from advocacy.tenancy.models import Membership, Role, Team
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(org_a, member_factory):
    """Sales (Dina) with Sales East below it; Marketing apart; Eko reports to Dina."""
    sales = Team.objects.create(organization=org_a, name="Sales")
    east = Team.objects.create(organization=org_a, name="Sales East", parent=sales)
    marketing = Team.objects.create(organization=org_a, name="Marketing")
    dina = member_factory(
        org_a,
        Role.MANAGER,
        team=sales,
        user__name="Dina Director",
        job_title="Sales Director",
        location="Jakarta",
    )
    eko = member_factory(
        org_a,
        team=east,
        manager=dina,
        user__name="Eko Exec",
        job_title="Account Executive",
        location="Surabaya",
    )
    fitri = member_factory(
        org_a,
        team=east,
        manager=eko,
        user__name="Fitri Field",
        job_title="SDR",
        location="Surabaya",
    )
    gita = member_factory(
        org_a, Role.CURATOR, team=marketing, user__name="Gita Curator", location="Jakarta"
    )
    remote = member_factory(
        org_a, manager=eko, user__name="Rama Remote"
    )  # no team, reports into the tree
    left = member_factory(org_a, team=marketing, user__name="Lina Left", is_active=False)
    return {
        "sales": sales,
        "east": east,
        "marketing": marketing,
        "dina": dina,
        "eko": eko,
        "fitri": fitri,
        "gita": gita,
        "remote": remote,
        "left": left,
    }


def _names(response) -> list[str]:
    """Names of the people listed (not those mentioned as someone's manager)."""
    page = response.content.decode()
    return sorted(
        name.strip()
        for name in re.findall(
            r'<div class="fw-semibold text-truncate"(?: dir="auto")?>([^<]+?)(?: <span|</div>)',
            page,
        )
    )


def test_admin_searches_and_filters_the_directory(web, company, member_factory, org_a):
    admin = member_factory(org_a, Role.ADMIN, user__name="Alma Admin")
    client = web.as_member(admin)
    url = f"/o/{org_a.slug}/people/"
    everyone = [
        "Alma Admin",
        "Dina Director",
        "Eko Exec",
        "Fitri Field",
        "Gita Curator",
        "Rama Remote",
    ]
    assert _names(client.get(url)) == everyone
    assert _names(client.get(url, {"q": "account exec"})) == ["Eko Exec"]
    assert _names(client.get(url, {"team": company["sales"].pk})) == [
        "Dina Director",
        "Eko Exec",
        "Fitri Field",
    ]
    assert _names(client.get(url, {"location": "Jakarta"})) == ["Dina Director", "Gita Curator"]
    assert _names(client.get(url, {"role": "curator"})) == ["Gita Curator"]
    assert _names(client.get(url, {"status": "left"})) == ["Lina Left"]
    partial = client.get(url, {"q": "fitri"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<!doctype" not in partial and "Fitri Field" in partial


def test_a_manager_sees_only_their_own_tree(web, company, org_a):
    client = web.as_member(company["dina"])
    assert _names(client.get(f"/o/{org_a.slug}/people/")) == [
        "Dina Director",
        "Eko Exec",
        "Fitri Field",
        "Rama Remote",
    ]
    assert client.get(f"/o/{org_a.slug}/people/{company['fitri'].pk}/").status_code == 200
    assert client.get(f"/o/{org_a.slug}/people/{company['gita'].pk}/").status_code == 404
    page = client.get(f"/o/{org_a.slug}/people/{company['eko'].pk}/").content.decode()
    assert "Fitri Field" in page and "Rama Remote" in page  # direct reports
    assert "/edit/" not in page


@pytest.mark.parametrize("role", ROLES)
def test_directory_pages_by_role(web, org_a, member_factory, company, role):
    person = member_factory(org_a, role)
    client = web.as_member(person)
    eko = company["eko"]
    sees_directory = role in (Role.OWNER, Role.ADMIN, Role.MANAGER)
    is_admin = role in (Role.OWNER, Role.ADMIN)
    assert client.get(f"/o/{org_a.slug}/people/").status_code == (200 if sees_directory else 403)
    assert client.get(f"/o/{org_a.slug}/people/teams/").status_code == (200 if is_admin else 403)
    profile = client.get(f"/o/{org_a.slug}/people/{eko.pk}/").status_code
    # a manager outside Eko's tree gets the same 404 as for a stranger
    assert profile == (200 if is_admin else 404 if role == Role.MANAGER else 403)
    response = client.post(
        f"/o/{org_a.slug}/people/{eko.pk}/edit/", {"role": "admin", "job_title": "Hacked"}
    )
    eko.refresh_from_db()
    if is_admin:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert (eko.role, eko.job_title) == (Role.EMPLOYEE, "Account Executive")


def test_admin_edits_a_profile(web, company, member_factory, org_a):
    admin = member_factory(org_a, Role.ADMIN)
    eko = company["eko"]
    response = web.as_member(admin).post(
        f"/o/{org_a.slug}/people/{eko.pk}/edit/",
        {
            "role": "manager",
            "team": company["sales"].pk,
            "manager": company["dina"].pk,
            "job_title": "Team Lead",
            "location": "Bandung",
            "hire_date": "2021-05-04",
            "leave_date": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    eko.refresh_from_db()
    assert (eko.role, eko.team, eko.job_title, eko.location, str(eko.hire_date)) == (
        Role.MANAGER,
        company["sales"],
        "Team Lead",
        "Bandung",
        "2021-05-04",
    )


def test_a_manager_loop_is_refused(web, company, member_factory, org_a):
    admin = member_factory(org_a, Role.ADMIN)
    dina = company["dina"]
    response = web.as_member(admin).post(
        f"/o/{org_a.slug}/people/{dina.pk}/edit/",
        {"role": "manager", "manager": company["fitri"].pk, "is_active": "on"},
    )
    assert (
        response.status_code == 400
        and "reports, directly or not, to this person" in response.content.decode()
    )
    dina.refresh_from_db()
    assert dina.manager is None


def test_admins_cannot_touch_owners_and_the_last_owner_stays(web, org_a, member_factory):
    owner, admin = member_factory(org_a, Role.OWNER), member_factory(org_a, Role.ADMIN)
    response = web.as_member(admin).post(
        f"/o/{org_a.slug}/people/{owner.pk}/edit/", {"role": "employee", "is_active": "on"}
    )
    assert response.status_code == 400
    response = web.as_member(admin).post(
        f"/o/{org_a.slug}/people/{admin.pk}/edit/", {"role": "owner", "is_active": "on"}
    )
    assert response.status_code == 400
    response = web.as_member(owner).post(
        f"/o/{org_a.slug}/people/{owner.pk}/edit/", {"role": "admin", "is_active": "on"}
    )
    assert response.status_code == 400 and "at least one owner" in response.content.decode()
    owner.refresh_from_db()
    admin.refresh_from_db()
    assert (owner.role, admin.role) == (Role.OWNER, Role.ADMIN)


def test_directory_query_count_does_not_grow_with_people(
    web, org_a, member_factory, django_assert_max_num_queries
):
    admin = member_factory(org_a, Role.ADMIN)
    team = Team.objects.create(organization=org_a, name="Ops")
    boss = member_factory(org_a, team=team)
    for _ in range(30):
        member_factory(org_a, team=team, manager=boss, job_title="Operator")
    client = web.as_member(admin)
    client.get(f"/o/{org_a.slug}/people/")
    with django_assert_max_num_queries(14):
        response = client.get(f"/o/{org_a.slug}/people/")
    assert response.content.decode().count('data-testid="directory-row"') == 32


def test_another_organizations_member_is_a_404(web, admin_a, admin_b):
    client = web.as_member(admin_a)
    assert client.get(f"/o/{admin_a.organization.slug}/people/{admin_b.pk}/").status_code == 404
    response = client.post(
        f"/o/{admin_a.organization.slug}/people/{admin_b.pk}/edit/",
        {"role": "employee", "is_active": "on"},
    )
    assert response.status_code == 404
    admin_b.refresh_from_db()
    assert admin_b.role == Role.ADMIN


# --- the API ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_members_api_by_role(api, org_a, member_factory, company, role):
    person = member_factory(org_a, role)
    client = api.as_member(person)
    base = f"/api/v1/orgs/{org_a.slug}/members/"
    listing = client.get(base)
    expected = 200 if role in (Role.OWNER, Role.ADMIN, Role.MANAGER) else 403
    assert listing.status_code == expected
    eko = company["eko"]
    response = client.patch(f"{base}{eko.pk}/", {"job_title": "Changed by API"}, format="json")
    eko.refresh_from_db()
    if role in (Role.OWNER, Role.ADMIN):
        assert response.status_code == 200 and eko.job_title == "Changed by API"
    else:
        assert response.status_code == 403 and eko.job_title == "Account Executive"


def test_members_api_gives_a_manager_their_tree_only(api, company, org_a):
    response = api.as_member(company["dina"]).get(f"/api/v1/orgs/{org_a.slug}/members/")
    emails = {row["email"] for row in response.json()["results"]}
    expected = {company[k].user.email for k in ("dina", "eko", "fitri", "remote")}
    assert emails == expected


def test_members_api_keeps_owner_rules(api, org_a, member_factory):
    owner, admin = member_factory(org_a, Role.OWNER), member_factory(org_a, Role.ADMIN)
    response = api.as_member(admin).patch(
        f"/api/v1/orgs/{org_a.slug}/members/{admin.pk}/", {"role": "owner"}, format="json"
    )
    assert response.status_code == 400
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and owner.role == Role.OWNER


def test_members_api_two_orgs(api, admin_a, admin_b, org_b, member_factory):
    foreign = member_factory(org_b, job_title="Theirs")
    client = api.as_member(admin_a)
    base = f"/api/v1/orgs/{admin_a.organization.slug}/members/"
    assert client.get(f"{base}{foreign.pk}/").status_code == 404
    assert (
        client.patch(f"{base}{foreign.pk}/", {"job_title": "Pwned"}, format="json").status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.job_title == "Theirs"
    # a manager of another organization's team cannot be assigned
    mine = Membership.objects.get(pk=admin_a.pk)
    response = client.patch(f"{base}{mine.pk}/", {"manager": admin_b.pk}, format="json")
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.manager_id is None
