"""A curator adds a link, sees its preview, writes two captions and submits it; an HR admin
approves it. The link is served by a local site with OpenGraph tags; only this test's
port is opened to the fetcher."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.models import Role
from content_library.models import ContentItem
from tests.content_library.pages import LocalSite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings):
    local = LocalSite()
    settings.CONTENT_FETCHER_ALLOW_LOOPBACK = {local.port}
    yield local
    local.close()


def test_curator_adds_a_link_writes_captions_and_an_admin_approves(
    page, login, org_a, member_factory, password, site
):
    curator = member_factory(org_a, Role.CURATOR)
    admin = member_factory(org_a, Role.ADMIN)

    login(page, curator.user.email, password)
    page.goto(f"/o/{org_a.slug}/library/")
    # An empty library offers "Add content" twice: in its header and in its empty state.
    page.get_by_role("link", name="Add content").first.click()
    page.fill("#id_url", site.url("/og"))
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("preview-title")).to_have_text("Acme opens a solar plant")
    expect(page.locator("#id_preview_site_name")).to_have_value("Acme Newsroom")
    expect(page.get_by_test_id("status")).to_have_text("Draft")

    page.select_option("#id_captions-0-network", "x")
    page.fill(
        "#id_captions-0-text",
        "Our plant runs on the sun https://news.acme.example/" + "a" * 80 + " #solar",
    )
    # X counts the long link as 23 characters: 26 + 23 + 7 = 56
    expect(page.locator("[data-caption-row]").first.locator("[data-network-count=x]")).to_have_text(
        "X 56 / 280"
    )
    page.select_option("#id_captions-1-network", "linkedin")
    page.fill(
        "#id_captions-1-text", "Proud of our team: our Ohio plant is now fully solar-powered."
    )
    page.get_by_test_id("network-preview").get_by_role("button", name="LinkedIn").click()
    expect(page.locator("[data-preview-text]")).to_have_text(
        "Proud of our team: our Ohio plant is now fully solar-powered."
    )
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("Changes saved")

    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("status")).to_have_text("In review")

    page.context.clear_cookies()
    login(page, admin.user.email, password)
    page.goto(f"/o/{org_a.slug}/library/review/")
    page.get_by_test_id("review-queue").get_by_role("link", name="Acme opens a solar plant").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("Approved")
    expect(page.get_by_test_id("audit-trail")).to_contain_text("approved")

    item = ContentItem.objects.get(organization=org_a)
    assert item.status == "approved" and item.approved_by == admin
    assert list(item.captions.values_list("network", flat=True)) == ["x", "linkedin"]
    assert re.match(r"Acme opens a solar plant", item.title)


def test_the_item_editor_fits_a_phone(phone_page, login, org_a, member_factory, password):
    curator = member_factory(org_a, Role.CURATOR)
    login(phone_page, curator.user.email, password)
    phone_page.goto(f"/o/{org_a.slug}/library/new/")
    expect(phone_page.locator("#id_url")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the item editor scrolls sideways on a phone"
