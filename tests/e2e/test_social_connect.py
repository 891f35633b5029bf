"""An employee connects the sandbox LinkedIn through its consent page and sees
the connection with its name, and in words that LinkedIn shares no follower count."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from social import limits
from social.models import Connection
from social.providers.linkedin import previous_month_version
from social.sandbox.testing import run_sandbox

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_employee_connects_linkedin_through_the_consent_page(
    page, login, employee_a, password, sandbox
):
    login(page, employee_a.user.email, password)
    page.goto(f"/o/{employee_a.organization.slug}/connections/")
    linkedin = page.get_by_test_id("network-linkedin")
    linkedin.get_by_role("button", name="Connect LinkedIn").click()

    # The sandbox's own consent page, as LinkedIn would show it.
    expect(page).to_have_url(
        re.compile(re.escape(sandbox.url("linkedin")) + "/oauth/v2/authorization")
    )
    page.fill("#handle", "emma.evans")
    page.get_by_role("button", name="Allow").click()

    expect(page).to_have_url(re.compile(rf"/o/{employee_a.organization.slug}/connections/$"))
    expect(page.get_by_role("alert").first).to_contain_text("is connected")
    connection = Connection.objects.get(membership=employee_a, network="linkedin")
    expect(linkedin.get_by_test_id("status")).to_have_text("Connected")
    expect(linkedin.get_by_test_id("handle")).to_contain_text("Emma Evans")
    # With the self-serve scopes (`openid profile w_member_social`) LinkedIn shares no
    # follower count; the page says so in words instead of showing 0.
    assert connection.followers is None
    expect(linkedin.get_by_test_id("followers")).to_contain_text(
        "Follower count not shared by this network"
    )


def test_connections_page_fits_a_phone(phone_page, login, employee_a, password, sandbox):
    login(phone_page, employee_a.user.email, password)
    phone_page.goto(f"/o/{employee_a.organization.slug}/connections/")
    expect(phone_page.get_by_test_id("network-bluesky")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the connections page scrolls sideways on a phone"


def test_connecting_a_new_mastodon_server_waits_then_goes_on_by_itself(
    phone_page, login, employee_a, password, sandbox, monkeypatch
):
    """A Mastodon server Chorus does not know yet: the click records the attempt, the
    phone shows a waiting step while a worker registers Chorus there, and the page moves
    on by itself (no tap) to the server's consent page, then back, connected."""
    from social.tasks import run_connect_attempt

    queued: list[dict] = []
    # The worker, played by the test: the queued work waits until the test runs it.
    monkeypatch.setattr(run_connect_attempt, "delay", lambda **kwargs: queued.append(kwargs))

    def work() -> None:
        while queued:
            run_connect_attempt.apply(kwargs=queued.pop(0))

    page = phone_page
    login(page, employee_a.user.email, password)
    page.goto(f"/o/{employee_a.organization.slug}/connections/")
    mastodon = page.get_by_test_id("network-mastodon")
    mastodon.get_by_label("Your Mastodon server").fill(sandbox.url("mastodon"))
    mastodon.get_by_role("button", name="Connect Mastodon").click()

    waiting = page.get_by_test_id("connect-waiting")
    expect(waiting).to_contain_text("Getting Mastodon ready")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    work()
    # No click: the page asked for the outcome and went on to the consent page.
    expect(page).to_have_url(re.compile(re.escape(sandbox.url("mastodon")) + "/oauth/authorize"))
    page.fill("#handle", "emma.evans")
    page.get_by_role("button", name="Allow").click()

    expect(waiting).to_contain_text("Connecting Mastodon")
    work()
    expect(page).to_have_url(re.compile(rf"/o/{employee_a.organization.slug}/connections/$"))
    expect(page.get_by_role("alert").first).to_contain_text("is connected")
    expect(page.get_by_test_id("network-mastodon").get_by_test_id("status")).to_have_text(
        "Connected"
    )
    assert Connection.objects.get(membership=employee_a, network="mastodon").instance_app
