"""Issue 17 in the browser, on a 390px phone: the content's own address typed in the
employee's words never goes out next to the tracked link. The preview shows the tracked
link in its place, and Facebook's clipboard hand-over (done in the browser, before the
server has drawn the tracked link) leaves the address out: the tracked link is the post's
link card there."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.context import org_context
from campaigns.models import Share
from content_library.models import ContentItem

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
TYPED = "Our plant runs on solar: http://www.news.example.com/solar/?utm_source=mail. Proud!"


@pytest.fixture
def item(employee_a):
    org = employee_a.organization
    with org_context(org):
        return ContentItem.objects.create(
            organization=org,
            title="Our Surabaya plant runs on solar",
            url="https://news.example.com/solar",
            status="approved",
        )


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="en"
    )
    context.set_default_timeout(15_000)
    # Navigation may wait as long as the shared machine needs; the checks below do not time it.
    context.set_default_navigation_timeout(0)
    return context


def test_the_preview_and_facebooks_clipboard_carry_one_link(
    browser, live_server, login, employee_a, password, item
):
    context = _phone(browser, live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.route("https://www.facebook.com/**", lambda route: route.abort())  # loopback only
    page = context.new_page()
    login(page, employee_a.user.email, password)
    page.goto(f"/o/{employee_a.organization.slug}/share/{item.pk}/")
    page.locator("textarea[name=text]").fill(TYPED)
    preview = page.locator(".composer-preview-text")
    expect(preview).to_contain_text("/r/…")
    expect(preview).not_to_contain_text("news.example.com")
    with context.expect_event(
        "request", lambda request: request.url.startswith("https://www.facebook.com/")
    ) as asked:
        page.locator("[data-channel=facebook]").click()
    expect(page.locator("[data-share-status]")).to_have_text("Text copied: paste it into Facebook.")
    copied = page.evaluate("navigator.clipboard.readText()")
    # The address goes with what led up to it (the colon): the sentence still reads.
    assert copied == "Our plant runs on solar. Proud!"
    # Facebook gets the tracked link as the post's link: the one link the post carries.
    share = Share.objects.get(membership=employee_a, channel="facebook")
    shared = parse_qs(urlsplit(asked.value.url).query)["u"][0]
    assert shared.endswith(f"/r/{share.links.get().code}")
    context.close()
