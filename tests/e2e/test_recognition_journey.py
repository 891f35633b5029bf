"""An employee (on a phone) sends a shout-out, earns a badge and redeems a reward; an HR
admin approves the request and sees the liability report change."""

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.models import Role
from recognition.models import Badge, Redemption
from recognition.services import badge_create, settings_ensure
from tests.recognition.factories import RewardFactory, give_points

pytestmark = pytest.mark.django_db(transaction=True)


def test_shout_out_badge_redemption_and_approval(
    page, phone_page, login, org_a, member_factory, password
):
    admin = member_factory(org_a, Role.ADMIN)
    employee = member_factory(org_a, Role.EMPLOYEE)
    colleague = member_factory(org_a, Role.EMPLOYEE)
    colleague.user.name = "Cora Colleague"
    colleague.user.save()
    settings_ensure(organization=org_a)
    badge_create(
        organization=org_a,
        name="Cheerleader",
        icon="megaphone",
        metric=Badge.Metric.SHOUTOUTS_SENT,
        threshold=1,
    )
    give_points(employee, 200)
    RewardFactory(organization=org_a, name="Coffee gift card", cost_points=150, value=10, stock=5)
    slug = org_a.slug

    # the employee, on a phone
    login(phone_page, employee.user.email, password)
    phone_page.goto(f"/o/{slug}/recognition/")
    form = phone_page.get_by_test_id("shoutout-form")
    form.get_by_label("Who do you want to recognize?").select_option(label="Cora Colleague")
    form.get_by_label("Message").fill("Thank you for the launch visuals!")
    form.get_by_role("button", name="Send shout-out").click()
    expect(phone_page.get_by_text("Your shout-out is in the feed.")).to_be_visible()
    expect(phone_page.get_by_test_id("feed-item").first).to_contain_text(
        "Thank you for the launch visuals!"
    )
    expect(phone_page.get_by_test_id("my-badges")).to_contain_text("Cheerleader")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    phone_page.goto(f"/o/{slug}/recognition/rewards/")
    phone_page.get_by_test_id("reward").filter(has_text="Coffee gift card").get_by_role(
        "button", name="Redeem"
    ).click()
    expect(phone_page.get_by_test_id("balance")).to_have_text("50")
    expect(phone_page.get_by_test_id("redemption-status").first).to_have_text(
        "Waiting for approval"
    )

    # the HR admin
    login(page, admin.user.email, password)
    page.goto(f"/o/{slug}/recognition/admin/liability/")
    expect(page.get_by_test_id("pending-points")).to_have_text("150")
    expect(page.get_by_test_id("cost-month")).to_contain_text("0.00")
    liability_before = page.get_by_test_id("liability-points").inner_text()

    page.goto(f"/o/{slug}/recognition/admin/")
    request = page.get_by_test_id("pending-redemption").filter(has_text="Coffee gift card")
    request.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("The reward request is approved.")).to_be_visible()

    page.goto(f"/o/{slug}/recognition/admin/liability/")
    expect(page.get_by_test_id("pending-points")).to_have_text("0")
    expect(page.get_by_test_id("cost-month")).to_contain_text("10.00")
    assert page.get_by_test_id("liability-points").inner_text() == liability_before == "55"
    assert Redemption.objects.get().status == Redemption.Status.APPROVED

    phone_page.goto(f"/o/{slug}/recognition/rewards/")
    expect(phone_page.get_by_test_id("redemption-status").first).to_have_text("Approved")
