"""A person in two organizations signs in, switches organization, and switches
the interface to Bahasa Indonesia."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_switch_organization_and_language(
    page, login, org_a, org_b, member_factory, password
):
    consultant = member_factory(org_a, Role.ADMIN)
    member_factory(org_b, Role.OWNER, user=consultant.user)

    page.set_viewport_size({"width": 1440, "height": 900})  # the shell's menu is expanded
    login(page, consultant.user.email, password)
    expect(page).to_have_url(re.compile(rf"/o/({org_a.slug}|{org_b.slug})/$"))

    page.get_by_test_id("org-switcher").get_by_role("button").or_(
        page.get_by_test_id("org-switcher").locator("a.dropdown-toggle")
    ).first.click()
    page.get_by_role("link", name=org_b.name).click()
    expect(page).to_have_url(re.compile(rf"/o/{org_b.slug}/$"))
    expect(page.locator("h1")).to_contain_text(org_b.name)
    expect(page.get_by_test_id("role")).to_have_text("Owner")

    page.select_option("#language-select", "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_contain_text(f"Selamat datang di {org_b.name}")
    expect(page.get_by_test_id("role")).to_have_text("Pemilik")

    consultant.user.refresh_from_db()
    assert consultant.user.preferred_language == "id"


def test_sign_in_page_works_on_a_phone(phone_page):
    phone_page.goto("/accounts/login/")
    expect(phone_page.locator("input[name=login]")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the sign-in page scrolls sideways on a phone"
