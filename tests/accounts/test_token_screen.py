"""The personal API token screen: create (shown once), list, revoke, last used."""

import re

import pytest

from advocacy.accounts.models import ApiToken
from advocacy.accounts.services import api_token_create
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def _url(member):
    return f"/o/{member.organization.slug}/me/tokens/"


@pytest.mark.parametrize("role", ROLES)
def test_everyone_creates_a_token_that_is_shown_once_and_works(
    web, api, org_a, member_factory, role
):
    person = member_factory(org_a, role)
    client = web.as_member(person)
    page = client.post(_url(person), {"name": "Zapier"}).content.decode()
    raw = re.search(
        r'data-testid="new-token">.*?<code[^>]*>(chorus_[^<]+)</code>', page, re.S
    ).group(1)
    token = ApiToken.objects.get(user=person.user)
    assert token.name == "Zapier" and raw.startswith(token.prefix) and token.key_hash != raw
    assert raw not in client.get(_url(person)).content.decode()  # never shown again
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/v1/orgs/{org_a.slug}/").status_code == 200


def test_last_used_is_shown_after_the_token_is_used(web, api, employee_a):
    token, raw = api_token_create(
        organization=employee_a.organization, user=employee_a.user, name="CLI"
    )
    client = web.as_member(employee_a)
    assert "never" in client.get(_url(employee_a)).content.decode()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    api.get(f"/api/v1/orgs/{employee_a.organization.slug}/")
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = client.get(_url(employee_a)).content.decode()
    assert "never" not in page


def test_the_list_shows_only_my_tokens_in_this_organization(web, employee_a, member_factory, org_b):
    colleague = member_factory(employee_a.organization)
    api_token_create(organization=employee_a.organization, user=employee_a.user, name="Mine here")
    api_token_create(organization=employee_a.organization, user=colleague.user, name="Colleague's")
    member_factory(org_b, user=employee_a.user)
    api_token_create(organization=org_b, user=employee_a.user, name="Mine elsewhere")
    page = web.as_member(employee_a).get(_url(employee_a)).content.decode()
    assert "Mine here" in page and "Colleague" not in page and "Mine elsewhere" not in page


def test_revoke_stops_the_token(web, api, employee_a):
    token, raw = api_token_create(
        organization=employee_a.organization, user=employee_a.user, name="Old"
    )
    client = web.as_member(employee_a)
    response = client.post(f"{_url(employee_a)}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in client.get(_url(employee_a)).content.decode()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/v1/orgs/{employee_a.organization.slug}/").status_code == 401


def test_nobody_revokes_someone_elses_token(web, employee_a, member_factory, admin_b):
    colleague_token, _ = api_token_create(
        organization=employee_a.organization,
        user=member_factory(employee_a.organization).user,
        name="C",
    )
    foreign_token, _ = api_token_create(
        organization=admin_b.organization, user=admin_b.user, name="F"
    )
    client = web.as_member(employee_a)
    assert client.post(f"{_url(employee_a)}{colleague_token.pk}/revoke/").status_code == 404
    assert client.post(f"{_url(employee_a)}{foreign_token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0


def test_a_nameless_or_too_long_name_is_refused(web, employee_a):
    client = web.as_member(employee_a)
    assert client.post(_url(employee_a), {"name": "  "}).status_code == 400
    assert client.post(_url(employee_a), {"name": "x" * 81}).status_code == 400
    assert not ApiToken.objects.exists()
