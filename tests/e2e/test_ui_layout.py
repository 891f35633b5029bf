"""Pages keep their shape on a 390px phone with the input people really type: very long
names and titles, right-to-left names, emoji (issue 17: the people page overflowed a phone)."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.context import org_context
from content_library.models import Caption, ContentItem

pytestmark = pytest.mark.django_db(transaction=True)

LONG_NAME = "Maximiliana-Konstantinopolous " + "Wolfeschlegelsteinhausenbergerdorff" * 2
RTL_NAME = "فاطمة الزهراء عبد الرحمن"
EMOJI_NAME = "Budi 🚀🎉 Santoso 👩🏽‍💻"

OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 1
               && !e.closest('.table-responsive, .overflow-auto, .chorus-choice-list'))
  .map(e => e.tagName + '.' + e.className)"""


def _fits(page, what):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{what} scrolls sideways"
    assert page.evaluate(OVERFLOWING) == [], f"{what}: elements past the screen's edge"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    yield context.new_page()
    context.close()


def test_people_page_fits_a_phone_with_long_rtl_and_emoji_names(
    phone, login, admin_a, member_factory, password
):
    org = admin_a.organization
    for name in (LONG_NAME, RTL_NAME, EMOJI_NAME):
        member = member_factory(
            org, "employee", job_title="Senior " * 16 + "Engineer"
        )  # 120: the column's length
        member.user.name = name
        member.user.save()
    login(phone, admin_a.user.email, password)
    phone.goto(f"/o/{org.slug}/people/")
    expect(phone.get_by_test_id("directory-row")).to_have_count(4)
    _fits(phone, "the people page")
    directions = phone.eval_on_selector_all(
        "[data-testid=directory-row] [dir=auto]",
        "els => els.map(e => [e.textContent.trim(), getComputedStyle(e).direction])",
    )
    assert [d for text, d in directions if text.startswith("فاطمة")] == ["rtl"], directions
    tabs = phone.get_by_test_id("people-tabs").locator("a")
    for n in range(tabs.count()):
        box = tabs.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "a tab is cut off"


def test_feed_keeps_its_shape_with_a_long_title_and_a_300_character_caption(
    phone, login, employee_a, password
):
    org = employee_a.organization
    with org_context(org):
        item = ContentItem.objects.create(
            organization=org,
            title="Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 + " 🚀 " + RTL_NAME,
            url="https://news.example.com/" + "very-long-path-segment-" * 10,
            status="approved",
        )
        Caption.objects.create(organization=org, content=item, text=("Proud! 🎉 " * 40)[:300])
    login(phone, employee_a.user.email, password)
    phone.goto(f"/o/{org.slug}/share/")
    expect(phone.get_by_test_id("feed-card")).to_have_count(1)
    _fits(phone, "the feed")


def test_a_card_whose_image_fails_shows_a_clean_placeholder(phone, login, employee_a, password):
    org = employee_a.organization
    with org_context(org):
        ContentItem.objects.create(
            organization=org,
            title="A picture that is gone",
            url="https://news.example.com/gone",
            preview_image_url="/media/nothing-here.jpg",
            status="approved",
        )
    login(phone, employee_a.user.email, password)
    phone.goto(f"/o/{org.slug}/share/")
    media = phone.get_by_test_id("card-media")
    expect(media).to_have_class(re.compile(r"\bis-missing\b"))
    assert media.locator("img").evaluate("img => getComputedStyle(img).display") == "none"
