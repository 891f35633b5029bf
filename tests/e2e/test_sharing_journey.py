"""The heart of Chorus: a new employee goes from an invitation to a published,
tracked share, and a click on its link is counted. The journey counts its clicks
and seconds and prints them (the figures asked for when resolving issue 6)."""

from __future__ import annotations

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.tenancy.context import org_context
from advocacy.tenancy.invitations import invitation_create
from advocacy.tenancy.models import Role
from campaigns.models import Campaign, CampaignItem, Share
from content_library.models import Caption, ContentItem, GuidelinesVersion
from social import limits
from social.providers.linkedin import previous_month_version
from social.sandbox.testing import run_sandbox

pytestmark = pytest.mark.django_db(transaction=True)

VISITOR_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(scope="module")
def sandbox_network():
    with run_sandbox() as handle:
        yield handle


@pytest.fixture
def sandbox(sandbox_network, settings):
    sandbox_network.control.reset()
    settings.SANDBOX_URL = sandbox_network.base_url
    settings.SOCIAL_PROVIDERS = {}
    settings.LINKEDIN_API_VERSION = previous_month_version()
    limits.reset()
    return sandbox_network


class Journey:
    """Counts what the person does: clicks (and taps) and fields typed into."""

    def __init__(self, page):
        self.page, self.clicks, self.fields = page, 0, 0

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def fill(self, selector, value):
        self.page.fill(selector, value)
        self.fields += 1


def _program(org, admin, live_url):
    with org_context(org):
        GuidelinesVersion.objects.create(
            organization=org,
            number=1,
            title="Our social media guidelines",
            published_at=timezone.now(),
            body="<p>Be yourself, be kind, say that you work here.</p>",
        )
        # The article lives on the test server itself, so the redirect stays on loopback.
        item = ContentItem.objects.create(
            organization=org,
            title="We opened our Surabaya plant",
            url=f"{live_url}/healthz",
            status=ContentItem.Status.APPROVED,
            is_featured=True,
        )
        Caption.objects.create(
            organization=org, content=item, text="Proud of the team that opened our Surabaya plant!"
        )
        campaign = Campaign.objects.create(
            organization=org,
            name="Surabaya opening",
            slug="surabaya-opening",
            status=Campaign.Status.ACTIVE,
            starts_at=timezone.now(),
            announced_at=timezone.now(),
        )
        CampaignItem.objects.create(organization=org, campaign=campaign, content=item)
        _invitation, raw = invitation_create(
            organization=org,
            email="new.hire@example.com",
            role=Role.EMPLOYEE,
            team=None,
            invited_by=admin.user,
            actor_role=admin.role,
        )
    return item, campaign, raw


def test_new_employee_from_invitation_to_a_published_tracked_share(
    page, browser, live_url, org_a, admin_a, sandbox, settings, capsys
):
    settings.SITE_URL = live_url  # short links point at the test server
    _item, campaign, raw = _program(org_a, admin_a, live_url)
    page.set_viewport_size({"width": 1440, "height": 900})  # the menu is expanded from 1400px
    me = Journey(page)
    started = time.monotonic()

    # 1. Accept the invitation and create the account.
    page.goto(f"/invitations/{raw}/")
    me.fill("input[name=name]", "Nina New")
    me.fill("input[name=password1]", "a-long-and-good-passphrase-42")
    me.fill("input[name=password2]", "a-long-and-good-passphrase-42")
    me.click(page.get_by_test_id("accept"))
    expect(page).to_have_url(
        re.compile(rf"/o/{org_a.slug}/share/$")
    )  # an employee lands on the feed

    # 2. Connect the sandbox LinkedIn.
    me.click(page.locator("nav a[href$='/connections/']").first)
    me.click(page.get_by_test_id("network-linkedin").get_by_test_id("connect"))
    expect(page).to_have_url(re.compile(re.escape(sandbox.url("linkedin"))))
    me.fill("#handle", "nina.new")
    me.click(page.get_by_role("button", name="Allow"))
    expect(page.get_by_test_id("network-linkedin").get_by_test_id("status")).to_have_text(
        "Connected"
    )

    # 3. Open the feed, pick the campaign post; the composer shows the guidelines.
    me.click(page.locator("nav .dropdown-toggle", has_text=re.compile(r"^\s*Sharing\s*$")))
    me.click(page.locator(f"nav a[href='/o/{org_a.slug}/share/']"))
    card = page.get_by_test_id("feed-card").first
    expect(card.get_by_test_id("campaign-badge")).to_contain_text("Surabaya opening")
    me.click(card.get_by_test_id("share-button"))
    # The guidelines are shown inside the composer and agreed to by sharing (issue 17.3).
    expect(page.get_by_test_id("guidelines-inline")).to_be_visible()
    expect(page.get_by_test_id("composer")).to_be_visible()

    # 4. The post is pre-filled; share it now.
    expect(page.locator("textarea[name=text]")).to_have_value(
        "Proud of the team that opened our Surabaya plant!"
    )
    expect(page.get_by_test_id("personal-note-nudge")).to_be_visible()
    expect(page.get_by_test_id("counter-linkedin")).to_contain_text("/3000")
    me.click(page.get_by_test_id("share-submit"))
    row = page.get_by_test_id("share-row").first
    expect(row).to_have_attribute("data-status", "published")
    seconds = time.monotonic() - started

    share = Share.objects.get(membership__user__email="new.hire@example.com")
    assert (
        share.status == Share.Status.PUBLISHED
        and share.campaign == campaign
        and share.channel == "linkedin"
    )
    posts = sandbox.control.posts("linkedin")
    assert len(posts) == 1
    short_url = row.get_by_test_id("tracked-link").inner_text().strip()
    assert short_url == f"{live_url}/r/{share.links.get().code}" and short_url in str(posts[0])

    # 5. Someone in the new hire's network taps the link on their phone; the click is counted.
    visitor = browser.new_context(user_agent=VISITOR_UA, viewport={"width": 390, "height": 844})
    try:
        visit = visitor.new_page()
        visit.goto(short_url)
        assert visit.url.startswith(f"{live_url}/healthz")
        assert (
            "utm_medium=employee_advocacy" in visit.url
            and "utm_campaign=surabaya-opening" in visit.url
        )
    finally:
        visitor.close()
    from analytics.tasks import (
        flush_clicks,
    )  # with Redis the click waits in the stream until flushed

    flush_clicks()
    share.refresh_from_db()
    assert share.clicks == 1
    page.reload()
    expect(page.get_by_test_id("share-clicks").first).to_have_text("1")

    with capsys.disabled():
        print(
            f"\n[sharing journey] invitation → published tracked share: {me.clicks} clicks, "
            f"{me.fields} fields typed, {seconds:.1f} s; the visitor's click was counted."
        )
