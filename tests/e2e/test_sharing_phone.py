"""On a 390px phone the feed and the composer fit the screen, and sharing by hand
(copy text and link) works without a connected account."""

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.context import org_context
from campaigns.models import Share
from content_library.models import Caption, ContentItem

pytestmark = pytest.mark.django_db(transaction=True)


def test_feed_and_composer_fit_a_phone_and_copy_makes_a_tracked_share(
    phone_page, login, employee_a, password
):
    org = employee_a.organization
    with org_context(org):
        for n in range(3):
            item = ContentItem.objects.create(
                organization=org,
                title=f"A rather long headline about our company news number {n}",
                url=f"https://news.example.com/a-very-long-path/that-goes-on/{n}?with=query",
                status="approved",
            )
            Caption.objects.create(organization=org, content=item, text="We did it! " * 12)
    login(phone_page, employee_a.user.email, password)
    phone_page.goto(f"/o/{org.slug}/share/")
    expect(phone_page.get_by_test_id("feed-card")).to_have_count(3)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, (
        "the feed scrolls sideways"
    )

    phone_page.get_by_test_id("share-button").first.click()
    expect(phone_page.get_by_test_id("no-connections")).to_be_visible()
    expect(phone_page.get_by_test_id("composer-preview")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, (
        "the composer scrolls sideways"
    )

    phone_page.get_by_role("button", name="Copy text and link").click()
    # Headless Chromium may refuse the clipboard; either way the text and the tracked link are handed over.
    status = phone_page.locator("[data-share-status]")
    expect(status).not_to_be_empty()
    share = Share.objects.get(membership=employee_a, channel="copy")
    assert share.status == Share.Status.SHARED_BY_HAND and share.links.count() == 1
