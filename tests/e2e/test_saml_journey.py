"""Signing in through a real SAML identity provider (pysaml2, started by the test over HTTP,
tests/identity/idp/) in Chromium: the owner sets the connection up on the settings page, an
employee signs in from the sign-in page, and the IdP's bad answers (unsigned, expired,
wrong audience, replayed) each end on a page that says why, with nobody signed in."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from advocacy.identity.models import SamlSignIn
from advocacy.tenancy.models import Membership, Role

from ..identity.saml_helpers import idp_fixture  # noqa: F401  (`idp`)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(org_a, member_factory):
    return member_factory(org_a, Role.OWNER)


def _set_up_connection(page, login, owner, password, idp, live_server, tmp_path):
    org = owner.organization
    page.set_default_timeout(60_000)  # a loaded CI machine; the steps themselves are quick
    login(page, owner.user.email, password)
    page.goto(f"/o/{org.slug}/settings/saml/")
    expect(page.get_by_role("heading", name="SAML single sign-on")).to_be_visible()
    metadata_file = tmp_path / "idp-metadata.xml"
    metadata_file.write_text(idp.metadata_xml())
    page.set_input_files("input[name=metadata_file]", str(metadata_file))
    page.check("input[name=enabled]")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_test_id("saml-idp-entity")).to_have_text(idp.entity_id)
    # the copy button puts the metadata URL on the clipboard (the IdP admin pastes it)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("[data-copy='#saml-metadata-url']").click()
    expect(page.locator("[data-copy='#saml-metadata-url']")).to_have_text("Copied")
    metadata_url = page.locator("#saml-metadata-url").input_value()
    assert metadata_url == f"{live_server.url}/accounts/saml/{org.slug}/metadata/"
    # the identity provider's admin loads Chorus's metadata from that URL
    idp.trust_service_provider(requests.get(metadata_url, timeout=10).text)


def _start_sign_in(page, org):
    page.goto(f"/o/{org.slug}/")
    page.get_by_test_id("saml-sign-in").click()


def test_sign_in_through_the_identity_provider_and_its_refusals(
    browser,
    page,
    login,
    owner,
    member_factory,
    password,
    idp,
    live_server,
    tmp_path,
):
    org = owner.organization
    employee = member_factory(org, Role.EMPLOYEE)
    _set_up_connection(page, login, owner, password, idp, live_server, tmp_path)

    def fresh_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(60_000)
        return context.new_page()

    # An employee signs in through the IdP, on a phone.
    idp.sign_in_as(employee.user.email, firstName="Eka", lastName="Sari")
    phone = fresh_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _start_sign_in(phone, org)
    expect(phone).to_have_url(re.compile(rf"/o/{org.slug}/"))
    expect(phone.get_by_test_id("saml-refused")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.context.close()

    # Each bad answer: a page that says why, and no one signed in.
    for fault, words in [
        ("unsigned", "without a signature"),
        ("expired", "has expired"),
        ("wrong_audience", "made for another application"),
        ("replay", "already used"),
    ]:
        idp.fault = fault
        other = fresh_page(viewport={"width": 390, "height": 844})
        _start_sign_in(other, org)
        refused = other.get_by_test_id("saml-refused")
        expect(refused).to_contain_text("We could not sign you in")
        expect(refused).to_contain_text(words)
        assert other.evaluate("document.documentElement.scrollWidth") <= 390
        other.goto(f"/o/{org.slug}/")
        expect(other).to_have_url(re.compile(r"/accounts/login/"))
        other.context.close()

    # A stranger, with just-in-time membership off, is refused; nobody is created.
    idp.fault = None
    idp.sign_in_as("stranger@example.com")
    stranger = fresh_page(locale="id-ID")
    _start_sign_in(stranger, org)
    expect(stranger.get_by_test_id("saml-refused")).to_be_visible()
    stranger.context.close()
    assert not Membership.objects.for_org(org).filter(user__email="stranger@example.com").exists()

    # The owner sees the outcomes: the last sign-in and the refusals with their reasons.
    page.goto(f"/o/{org.slug}/settings/saml/")
    outcomes = page.get_by_test_id("saml-outcomes")
    expect(outcomes).to_contain_text(f"Last successful sign-in: {employee.user.email}")
    expect(outcomes).to_contain_text("This sign-in assertion was already used")
    expect(outcomes).to_contain_text("without a signature")
    reasons = list(SamlSignIn.objects.for_org(org).values_list("reason", flat=True))
    assert sorted(reasons) == sorted(
        ["signed_in", "unsigned", "expired", "wrong_audience", "replayed", "not_a_member"]
    )


def test_settings_page_fits_a_phone_in_indonesian(browser, login, owner, password, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    context.add_cookies([{"name": "django_language", "value": "id", "url": live_server.url}])
    context.set_default_timeout(60_000)
    page = context.new_page()
    login(page, owner.user.email, password)
    page.goto(f"/o/{owner.organization.slug}/settings/saml/")
    expect(page.get_by_role("heading", name="Single sign-on SAML")).to_be_visible()
    expect(page.get_by_role("button", name="Uji koneksi")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
