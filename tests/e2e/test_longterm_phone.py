"""The long-term page in Chromium on a 390px phone and on a laptop, in English and
Indonesian: the retention cards, the tables and the definitions are there and nothing
scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.models import Role
from tests.analytics.test_longterm import company  # noqa: F401  (the same company)
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.mark.parametrize(
    ("language", "viewport", "cards", "definitions"),
    [
        ("en", PHONE, "Advocates still here", "What these figures mean"),
        ("id", PHONE, "Advokat yang masih bertahan", "Arti angka-angka ini"),
        ("en", {"width": 1280, "height": 800}, "Everyone else still here", "Human visits"),
    ],
)
def test_the_long_term_page_reads_on_a_phone_and_a_laptop(
    browser,
    live_server,
    login,
    password,
    company,  # noqa: F811
    language,
    viewport,
    cards,
    definitions,
):
    admin = company["admin"]
    assert admin.role == Role.ADMIN
    admin.user.preferred_language = language
    admin.user.save(update_fields=["preferred_language"])
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        is_mobile=viewport == PHONE,
        locale="id-ID" if language == "id" else "en-US",
    )
    page = context.new_page()
    try:
        login(page, admin.user.email, password)
        page.goto(f"/o/{admin.organization.slug}/analytics/trends/")
        expect(page.get_by_test_id("dashboard-cards")).to_contain_text(cards)
        expect(page.get_by_test_id("dashboard-cards")).to_contain_text(
            "75,0%" if language == "id" else "75.0%"
        )
        expect(page.get_by_test_id("definitions")).to_contain_text(definitions)
        expect(page.locator('[data-table="retention"]')).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "the long-term page scrolls sideways"
    finally:
        context.close()
