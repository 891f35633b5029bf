"""Content digests in a real browser: the employee's choice and the admins' page on a
390px phone in English and Bahasa Indonesia, and a digest's share link followed by a
person's tap (Chromium sends Sec-Fetch-User) going straight to the network, tracked."""

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.context import org_context
from campaigns.digests import services
from campaigns.digests.models import DigestPreference
from campaigns.digests.tokens import share_token
from campaigns.models import Share, TrackedLink
from content_library.models import ContentItem

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page, what):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{what} scrolls sideways"


def _speaks(member, language):
    member.user.preferred_language = language
    member.user.save(update_fields=["preferred_language"])


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_employee_chooses_on_a_phone(phone_page, login, employee_a, password, language):
    _speaks(employee_a, language)
    org = employee_a.organization
    login(phone_page, employee_a.user.email, password)
    phone_page.goto(f"/o/{org.slug}/digest/")
    heading = {"en": "E-mail digest", "id": "Ringkasan e-mail"}[language]
    expect(phone_page.get_by_role("heading", name=heading)).to_be_visible()
    _fits(phone_page, "the digest choice")
    phone_page.locator("input[name=frequency][value=daily]").check()
    phone_page.locator("[data-testid=digest-preferences] button[type=submit]").click()
    expect(phone_page.get_by_test_id("effective-frequency")).to_contain_text(
        {"en": "daily", "id": "harian"}[language]
    )
    with org_context(org):
        assert DigestPreference.objects.get(membership=employee_a).frequency == "daily"


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_admin_page_on_a_phone(
    phone_page, login, admin_a, employee_a, password, settings, language
):
    settings.DIGEST_SEND_HOUR = settings.DIGEST_WEEKDAY = 0
    _speaks(admin_a, language)
    org = admin_a.organization
    with org_context(org):
        ContentItem.objects.create(
            organization=org,
            title="A rather long headline about the opening of our new plant in Surabaya",
            url="https://news.example.com/plant",
            status="approved",
        )
        services.digest_preference_set(organization=org, membership=employee_a, frequency="daily")
        services.digest_send_due(organization=org)
    login(phone_page, admin_a.user.email, password)
    phone_page.goto(f"/o/{org.slug}/sharing/digests/")
    heading = {"en": "Content digests", "id": "Ringkasan konten"}[language]
    expect(phone_page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(phone_page.get_by_test_id("count-daily")).to_have_text("1")
    expect(phone_page.get_by_test_id("digest-row")).to_have_count(2)  # the employee and the admin
    expect(phone_page.get_by_test_id("digest-log")).to_contain_text("Surabaya")
    phone_page.locator("[data-bs-target='#recipients-daily']").click()
    expect(phone_page.get_by_test_id("recipients-daily")).to_contain_text(employee_a.user.email)
    _fits(phone_page, "the digests page")
    phone_page.locator("input[name=default_frequency][value=never]").check()
    phone_page.locator("[data-testid=digest-policy] button[type=submit]").click()
    expect(phone_page.get_by_test_id("count-never")).to_have_text("1")  # the admin now


def test_a_tap_on_a_share_link_opens_the_network_with_a_tracked_link(page, employee_a):
    org = employee_a.organization
    with org_context(org):
        item = ContentItem.objects.create(
            organization=org,
            title="Open house",
            url="https://news.example.com/open",
            status="approved",
        )
    link = f"/digest/share/{share_token(employee_a, item.pk)}/linkedin/"
    opened = []
    page.route(
        "https://www.linkedin.com/**",
        lambda route: (opened.append(route.request.url), route.fulfill(body="LinkedIn composer"))[
            1
        ],
    )
    # The e-mail, as a web mail page shows it: the person taps the button.
    page.goto("/healthz")
    page.set_content(
        f'<a id="tap" href="{page.url.split("/healthz")[0]}{link}">Share on LinkedIn</a>'
    )
    page.click("#tap")
    expect(page.locator("body")).to_contain_text("LinkedIn composer")
    with org_context(org):
        share = Share.objects.get(membership=employee_a, content=item, channel="linkedin")
        code = TrackedLink.objects.get(share=share).code
    assert opened and f"%2Fr%2F{code}" in opened[0]
