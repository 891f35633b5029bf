"""Checkbox lists on the admin forms read as lists an admin can tick: each list spans the form's
width and sits above the Save button, on a phone and on a laptop (issue 17: the lists collapsed
into a one-word-wide column under the Save button)."""

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.context import org_context
from content_library.models import ContentItem
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)

FORMS = [
    # (page, list, the form's submit button)
    ("campaigns/new/", "choices-items", "Save"),
    ("surveys/new/", "choices-audience", None),
    ("recognition/thanks/", "choices-recipients", None),
    ("library/settings/", "choices-disclosure_networks", None),
]


@pytest.fixture
def arranged(admin_a, employee_a, member_factory):
    org = admin_a.organization
    with org_context(org):
        for n in range(4):
            ContentItem.objects.create(
                organization=org,
                title=f"Our quarterly results are out, number {n}",
                url=f"https://news.example.com/{n}",
                status="approved",
            )
        TeamFactory(organization=org, name="Engineering")
        TeamFactory(organization=org, name="Marketing")
    for _ in range(3):
        member_factory(org, "employee")
    return admin_a


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]
)
def test_checkbox_lists_span_the_form_and_can_be_ticked(
    browser, live_server, arranged, password, login, viewport
):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    login(page, arranged.user.email, password)
    org = arranged.organization
    for path, test_id, _ in FORMS:
        page.goto(f"/o/{org.slug}/{path}")
        choices = page.get_by_test_id(test_id)
        expect(choices).to_be_visible()
        form = choices.locator("xpath=ancestor::form[1]")
        list_box = choices.bounding_box()
        form_box = form.bounding_box()
        assert list_box["width"] >= 0.6 * form_box["width"], (
            f"{path}: the {test_id} list is {list_box['width']:.0f}px wide in a {form_box['width']:.0f}px form"
        )
        submit = form.locator("button[type=submit]").last
        assert submit.bounding_box()["y"] >= list_box["y"] + list_box["height"], (
            f"{path}: the submit button sits above or over the {test_id} list"
        )
        first = choices.locator("input").first
        first.check()
        expect(first).to_be_checked()
        label = choices.locator("label").first
        assert label.bounding_box()["width"] > 60, f"{path}: the choice's label is squeezed"
    context.close()


def test_every_multi_select_is_searchable_and_fills_the_form(
    browser, live_server, arranged, password, login
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, arranged.user.email, password)
    page.goto(f"/o/{arranged.organization.slug}/library/new/")
    selects = page.locator("select[multiple]")
    assert selects.count() >= 2
    for n in range(selects.count()):
        assert "tomselected" in (selects.nth(n).get_attribute("class") or "")
    teams = page.locator("select[name=audience_teams]")
    control = teams.locator("xpath=following-sibling::div[contains(@class,'ts-wrapper')]")
    control.click()
    page.keyboard.type("Mark")
    options = page.locator(".ts-dropdown:visible .option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Marketing")
    options.first.click()
    chosen = teams.evaluate("s => [...s.selectedOptions].map(o => o.textContent.trim())")
    assert chosen == ["Marketing"]
    page.keyboard.type("zzzz")
    expect(page.locator(".ts-dropdown:visible .no-results")).to_have_text("Nothing matches.")
    context.close()
