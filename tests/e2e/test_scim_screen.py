"""The owner's SCIM screen in a browser: on a 390px phone and a laptop, in English and
Bahasa Indonesia, a token is created, shown once, copied, and the connection test says it
works; nothing spills past the screen's width."""

from __future__ import annotations

import pytest

from advocacy.tenancy.models import Role
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("language", ["en", "id"])
def test_owner_creates_a_token_and_tests_the_connection_on_a_phone(
    browser, live_server, login, password, language
):
    org = OrganizationFactory(name="Scim Phone", slug="scim-phone")
    owner = MembershipFactory(organization=org, role=Role.OWNER)
    owner.user.preferred_language = language
    owner.user.save()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="id-ID" if language == "id" else "en-US",
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, owner.user.email, password)

    page.goto(f"/o/{org.slug}/settings/scim/")
    heading = "Provisioning SCIM" if language == "id" else "SCIM provisioning"
    assert page.locator("h1").inner_text() == heading
    assert page.locator("#scim-base-url").input_value().endswith("/scim/v2/orgs/scim-phone/")
    assert _no_sideways_scroll(page)

    page.fill("#scim-token-name", "Okta")
    page.click("form:has(#scim-token-name) button[type=submit]")
    token = page.locator("#scim-new-token").input_value()
    assert token.startswith("chorus_scim_")
    page.click("[data-copy='#scim-new-token']")
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert _no_sideways_scroll(page)

    page.fill("#scim-test-token", token)
    page.click("form:has(#scim-test-token) button[type=submit]")
    result = page.locator("[data-testid=scim-test-result]")
    assert ("Token berfungsi" if language == "id" else "The token works") in result.inner_text()
    assert _no_sideways_scroll(page)

    page.reload()
    assert page.locator("#scim-new-token").count() == 0  # shown once
    context.close()


def test_the_screen_fits_a_laptop(page, live_server, login, password):
    org = OrganizationFactory(name="Scim Laptop", slug="scim-laptop")
    owner = MembershipFactory(organization=org, role=Role.OWNER)
    login(page, owner.user.email, password)
    page.set_viewport_size({"width": 1366, "height": 800})

    page.goto(f"/o/{org.slug}/settings/scim/")

    assert page.locator("text=Recent errors").is_visible()
    assert _no_sideways_scroll(page)
