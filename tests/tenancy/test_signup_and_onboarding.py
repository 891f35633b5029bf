"""A new customer signs up, verifies their email, creates an organization and lands
on the onboarding checklist as its owner."""

import re

import pytest
from django.core import mail

from advocacy.tenancy.models import Membership, Organization, Role
from advocacy.tenancy.services import onboarding_step_complete

pytestmark = pytest.mark.django_db


def _sign_up(client, email="founder@newco.example"):
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(
        0
    )
    path = link.split("testserver", 1)[-1]
    response = client.post(path)
    assert response.status_code == 302
    return response


def test_signup_verify_create_org_and_land_on_checklist(client):
    response = _sign_up(client)
    response = client.get(response.url, follow=True)
    assert response.request["PATH_INFO"] == "/organizations/new/"

    response = client.post(
        "/organizations/new/",
        {"name": "NewCo", "slug": "newco", "timezone": "Asia/Jakarta", "default_language": "id"},
    )
    assert response.status_code == 302 and response.url == "/o/newco/"
    organization = Organization.objects.get(slug="newco")
    assert Membership.objects.get(organization=organization).role == Role.OWNER

    page = client.get("/o/newco/").content.decode()
    assert 'data-testid="onboarding-checklist"' in page
    assert page.count('data-done="false"') == 4


@pytest.mark.parametrize(
    ("slug", "message"),
    [("admin", "reserved"), ("taken", "already taken"), ("Bad Slug!", "valid")],
)
def test_organization_address_must_be_free_and_not_reserved(web, member_factory, slug, message):
    Organization.objects.create(name="Taken", slug="taken")
    person = member_factory(Organization.objects.create(name="Home", slug="home"))
    response = web.as_member(person).post(
        "/organizations/new/",
        {"name": "X", "slug": slug, "timezone": "UTC", "default_language": "en"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Organization.objects.count() == 2


def test_checklist_steps_tick_themselves_off(web, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    onboarding_step_complete(organization=org_a, step="add_content")
    page = web.as_member(owner).get(f"/o/{org_a.slug}/").content.decode()
    assert 'data-step="add_content" data-done="true"' in page
    assert page.count('data-done="false"') == 3


def test_employees_land_on_their_feed_and_never_see_the_checklist(web, employee_a):
    from django.urls import reverse

    client = web.as_member(employee_a)
    slug = employee_a.organization.slug
    landing = client.get(f"/o/{slug}/")
    assert landing.status_code == 302
    assert landing.url == reverse("campaigns:feed", kwargs={"org_slug": slug})
    home = client.get(f"/o/{slug}/?home=1")
    assert home.status_code == 200
    assert "onboarding-checklist" not in home.content.decode()


def test_login_is_rate_limited_after_repeated_failures(client, employee_a, password):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": employee_a.user.email, "password": "wrong"})
    blocked = client.post(
        "/accounts/login/", {"login": employee_a.user.email, "password": password}
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_emails_have_an_html_part_in_the_recipients_language(client, employee_a):
    employee_a.user.preferred_language = "id"
    employee_a.user.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": employee_a.user.email})
    message = mail.outbox[-1]
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    assert f'href="{link}"' in html
    assert "kata sandi" in message.body.lower()  # Indonesian, the recipient's language
