"""The organization's brand in the shell, as a person sees it on a 390 px phone and a
laptop (issue 17): the logo in the navbar (fetched through the members-only address), the
brand colour on buttons with text that stays readable (and checked boxes with a tick
that does), the initials badge when there is no
logo, and no sideways scroll with a long organization name."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from advocacy.tenancy import branding
from advocacy.tenancy.models import Organization, Role
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = """() => { const b = document.querySelector('main .btn-primary');
  const s = getComputedStyle(b); return [s.backgroundColor, s.color]; }"""


# The tick a checked box shows, drawn by the page's own style sheets.
TICK = """() => { document.body.insertAdjacentHTML('beforeend',
  '<input class="form-check-input" type="checkbox" checked data-testid="probe-box">');
  const box = document.querySelector('[data-testid=probe-box]');
  const image = getComputedStyle(box).backgroundImage; box.remove(); return image; }"""


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.fixture
def brands(settings, tmp_path):
    settings.ORGANIZATION_LOGO_ROOT = tmp_path / "logos"
    yellow = OrganizationFactory(
        name="Sunny Yellow Manufacturing Cooperative of Greater Jakarta",
        slug="sunny",
        brand_color="#ffd400",
    )
    buffer = io.BytesIO()
    Image.new("RGB", (400, 100), "navy").save(buffer, "PNG")
    yellow.logo.save("logo.png", branding.reencode_logo(ContentFile(buffer.getvalue())))
    navy = OrganizationFactory(name="Navy Works", slug="navy", brand_color="#0b1f5c")
    person = MembershipFactory(organization=yellow, role=Role.OWNER)
    MembershipFactory(organization=navy, role=Role.OWNER, user=person.user)
    return yellow, navy, person


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1440, "height": 900}]
)
def test_each_organization_shows_its_own_brand(browser, live_server, brands, viewport):
    yellow, navy, person = brands
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    try:
        _sign_in(page, person.user.email)

        page.goto(f"/o/{yellow.slug}/settings/")
        logo = page.get_by_test_id("org-logo")
        assert logo.is_visible()
        # The image really loaded, through the members-only address.
        assert (
            page.evaluate("() => document.querySelector('[data-testid=org-logo]').naturalWidth")
            == 400
        )
        assert page.get_by_test_id("org-initials").is_hidden()
        background, text = page.evaluate(BUTTON)
        assert background == _rgb("#ffd400")
        assert text == _rgb(branding.palette("#ffd400").on_accent)  # dark on yellow
        dark = branding.palette("#ffd400").on_accent.removeprefix("#")
        assert f"stroke='%23{dark}'" in page.evaluate(TICK)  # a dark tick, not a white one
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if viewport["width"] < 1400:  # the collapsed phone menu opens and still fits
            page.click(".navbar-toggler")
            page.wait_for_selector("#mainnav.show")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        page.goto(f"/o/{navy.slug}/settings/")
        assert page.get_by_test_id("org-logo").count() == 0
        assert page.get_by_test_id("org-initials").inner_text() == "NW"
        background, text = page.evaluate(BUTTON)
        assert (background, text) == (_rgb("#0b1f5c"), _rgb("#ffffff"))
        assert "stroke='%23fff'" in page.evaluate(TICK)  # Bootstrap's white tick on navy
        assert f"/o/{yellow.slug}/logo/" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()


def test_another_organizations_logo_address_shows_nothing(browser, live_server, brands):
    yellow, _navy, _person = brands
    stranger = MembershipFactory(
        organization=Organization.objects.get(slug="navy"), role=Role.EMPLOYEE
    )
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        _sign_in(page, stranger.user.email)
        response = page.request.get(f"/o/{yellow.slug}/logo/")
        assert response.status == 404
        assert "image" not in response.headers.get("content-type", "")
    finally:
        context.close()
