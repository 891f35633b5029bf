"""An organization that requires single sign-on admits only sessions that came
through an identity provider; owners keep password access so they cannot lock
themselves out."""

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_org(org_a):
    org_a.sso_required = True
    org_a.save(update_fields=["sso_required"])
    return org_a


def test_password_session_is_sent_to_single_sign_on(client, sso_org, member_factory, password):
    employee = member_factory(sso_org, Role.EMPLOYEE)
    client.post("/accounts/login/", {"login": employee.user.email, "password": password})
    response = client.get(f"/o/{sso_org.slug}/?home=1")
    assert response.status_code == 302 and response.url.startswith("/sso-required/")
    page = client.get(response.url)
    assert page.status_code == 403
    assert 'data-testid="sso-required"' in page.content.decode()


def test_identity_provider_session_is_admitted(client, sso_org, member_factory, password):
    employee = member_factory(sso_org, Role.EMPLOYEE)
    client.post("/accounts/login/", {"login": employee.user.email, "password": password})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "socialaccount", "provider": "oidc", "at": 0}
    ]
    session.save()
    assert client.get(f"/o/{sso_org.slug}/?home=1").status_code == 200


def test_owner_keeps_password_access(client, sso_org, member_factory, password):
    owner = member_factory(sso_org, Role.OWNER)
    client.post("/accounts/login/", {"login": owner.user.email, "password": password})
    assert client.get(f"/o/{sso_org.slug}/?home=1").status_code == 200


def test_organizations_without_the_requirement_accept_passwords(
    client, org_a, member_factory, password
):
    employee = member_factory(org_a, Role.EMPLOYEE)
    client.post("/accounts/login/", {"login": employee.user.email, "password": password})
    assert client.get(f"/o/{org_a.slug}/?home=1").status_code == 200
