"""The owner's SCIM screen: base URL, a token shown once, revoking, testing the
connection, the last sync and errors; in English and Bahasa Indonesia."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advocacy.identity.scim.models import ScimToken
from advocacy.tenancy.models import Role

from .scim_client import USER, ScimClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(org_a, member_factory):
    return member_factory(org_a, Role.OWNER)


def page_url(org):
    return reverse("identity_scim:settings", kwargs={"org_slug": org.slug})


def test_only_owners_see_the_screen(web, org_a, member_factory):
    admin = member_factory(org_a, Role.ADMIN)
    assert web.as_member(admin).get(page_url(org_a)).status_code == 403


def test_a_token_is_shown_once_works_and_can_be_revoked(web, org_a, owner):
    client = web.as_member(owner)
    page = client.get(page_url(org_a))
    assert page.status_code == 200
    assert f"http://testserver/scim/v2/orgs/{org_a.slug}/" in page.content.decode()

    created = client.post(page_url(org_a), {"action": "create", "name": "Okta"})
    raw = created.context["new_token"]
    assert raw.startswith("chorus_scim_") and raw in created.content.decode()
    assert raw not in client.get(page_url(org_a)).content.decode()

    scim = ScimClient(org_a, raw)
    body = {
        "schemas": [USER],
        "userName": "ann@acme.io",
        "emails": [{"value": "ann@acme.io"}],
        "active": True,
    }
    assert scim.post("/Users", body).status_code == 201
    assert "ann@acme.io" not in client.get(page_url(org_a)).content.decode()  # no personal data
    assert "POST /Users" in client.get(page_url(org_a)).content.decode()  # the last sync

    token = ScimToken.objects.for_org(org_a).get()
    revoke = reverse("identity_scim:token_revoke", kwargs={"org_slug": org_a.slug, "pk": token.pk})
    client.post(revoke)
    assert scim.get("/Users").status_code == 401
    assert "401" in client.get(page_url(org_a)).content.decode()  # among the recent errors


def test_the_connection_test_says_whether_a_token_works(web, org_a, owner):
    client = web.as_member(owner)
    raw = client.post(page_url(org_a), {"action": "create", "name": "Entra"}).context["new_token"]

    good = client.post(page_url(org_a), {"action": "test", "token": raw})
    bad = client.post(page_url(org_a), {"action": "test", "token": "chorus_scim_nope"})

    assert good.context["test_result"].ok is True
    assert "The token works" in good.content.decode()
    assert bad.context["test_result"].ok is False
    assert "(401)" in bad.content.decode()


def test_a_token_needs_a_name(web, org_a, owner):
    response = web.as_member(owner).post(page_url(org_a), {"action": "create", "name": ""})
    assert response.status_code == 400
    assert not ScimToken.objects.for_org(org_a).exists()


def test_the_screen_speaks_indonesian(web, org_a, owner):
    owner.user.preferred_language = "id"
    owner.user.save()
    page = web.as_member(owner).get(page_url(org_a), HTTP_ACCEPT_LANGUAGE="id")
    text = page.content.decode()
    assert "Provisioning SCIM" in text
    assert "Uji koneksi" in text
