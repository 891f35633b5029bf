"""Where people find SAML sign-in, and what the public endpoints say about organizations
that have not turned it on."""

from __future__ import annotations

import pytest

from advocacy.identity.saml.services import saml_connection_update
from advocacy.tenancy.models import Role

from .saml_helpers import connect

pytestmark = pytest.mark.django_db


def test_sso_required_page_offers_the_organizations_saml(
    client, org_a, member_factory, password, idp
):
    employee = member_factory(org_a, Role.EMPLOYEE)
    org_a.sso_required = True
    org_a.save(update_fields=["sso_required"])
    connect(client, org_a, idp)
    client.post("/accounts/login/", {"login": employee.user.email, "password": password})
    landing = client.get(f"/o/{org_a.slug}/?home=1")
    page = client.get(landing.url)
    body = page.content.decode()
    assert page.status_code == 403
    assert f'href="/accounts/saml/{org_a.slug}/login/?next=' in body
    assert "No single sign-on provider is set up yet" not in body


def test_sign_in_page_offers_saml_only_for_an_organization_that_has_it(client, org_a, org_b, idp):
    connect(client, org_a, idp)
    with_saml = client.get(f"/accounts/login/?next=/o/{org_a.slug}/").content.decode()
    assert 'data-testid="saml-sign-in"' in with_saml
    assert org_a.name not in with_saml  # the button names no organization
    without = client.get(f"/accounts/login/?next=/o/{org_b.slug}/").content.decode()
    assert 'data-testid="saml-sign-in"' not in without
    assert 'data-testid="saml-sign-in"' not in client.get("/accounts/login/").content.decode()


def test_endpoints_of_an_organization_without_saml_are_not_found(client, org_a, org_b, idp):
    connect(client, org_a, idp)
    for path in ("metadata/", "login/", "acs/finish/", "sls/"):
        assert client.get(f"/accounts/saml/{org_b.slug}/{path}").status_code == 404
        assert client.get(f"/accounts/saml/no-such-org/{path}").status_code == 404
    assert client.get(f"/accounts/saml/{org_a.slug}/sls/").status_code == 404


def test_sign_in_turned_off_closes_the_endpoints(client, org_a, idp):
    connect(client, org_a, idp)
    saml_connection_update(organization=org_a, actor=None, enabled=False)
    assert client.get(f"/accounts/saml/{org_a.slug}/login/").status_code == 404
    assert client.get(f"/accounts/saml/{org_a.slug}/metadata/").status_code == 404
