"""An employee answers a pulse round on a phone; an HR admin closes it and sees which
groups are shown and which are hidden to protect anonymity."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.models import Role
from tests.isolation.actors import (  # noqa: F401  (autouse: arrange as the system, hash fast)
    fast_password_hashing,
    test_body_acts_as_system,
)
from tests.surveys.factories import answer, make_people, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_employee_answers_on_a_phone_and_admin_sees_suppressed_results(
    phone_page, page, login, org_a, member_factory, password
):
    engineering, sales, marketing = (
        make_team(org_a, name) for name in ("Engineering", "Sales", "Marketing")
    )
    admin = member_factory(org_a, Role.ADMIN)
    employee = member_factory(org_a, Role.EMPLOYEE, team=engineering)
    round = open_round(make_survey(org_a, template="engagement", title="Spring pulse"))
    # Engineering 6 + the phone answer = 7, Sales 6, Marketing 2: Marketing is below the
    # threshold, and everyone − Engineering − Sales would reveal it, so Sales is hidden too.
    for team, count in ((engineering, 6), (sales, 6), (marketing, 2)):
        for member in make_people(org_a, team, count):
            answer(round, member, enps=9, comment=f"{team.name} says hi")

    phone = phone_page
    login(phone, employee.user.email, password)
    phone.goto(f"/o/{org_a.slug}/surveys/")
    phone.get_by_test_id("open-round").get_by_role("link", name="Answer").click()
    expect(phone.get_by_test_id("anonymity-notice")).to_be_visible()
    expect(phone.get_by_test_id("anonymity-notice")).to_contain_text("without your name")
    for fieldset in phone.locator("fieldset[data-question-kind=agree5]").all():
        fieldset.locator("label", has_text=re.compile(r"^Agree$")).click()
    phone.locator(
        "fieldset[data-question-kind=scale10] label", has_text=re.compile(r"^10$")
    ).click()
    phone.locator("fieldset[data-question-kind=text] textarea").fill("Great team, clear goals")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, (
        "the survey scrolls sideways on a phone"
    )
    phone.get_by_role("button", name="Send my anonymous answers").click()
    expect(phone.locator(".alert-success")).to_contain_text("recorded anonymously")
    expect(phone.get_by_test_id("open-round")).to_contain_text("Answered")

    login(page, admin.user.email, password)
    page.goto(f"/o/{org_a.slug}/surveys/{round.survey_id}/")
    page.get_by_test_id("close-round").click()
    expect(page).to_have_url(re.compile(rf"/surveys/rounds/{round.pk}/results/$"))
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap.locator('tr[data-group="all"]')).to_have_attribute("data-visible", "true")
    expect(heatmap.locator(f'tr[data-group="{engineering.pk}"]')).to_have_attribute(
        "data-visible", "true"
    )
    expect(heatmap.locator(f'tr[data-group="{engineering.pk}"]')).to_contain_text("7")
    expect(heatmap.locator(f'tr[data-group="{marketing.pk}"]')).to_contain_text(
        "fewer than 5 respondents"
    )
    expect(heatmap.locator(f'tr[data-group="{sales.pk}"]')).to_contain_text("cannot be worked out")
    # Fourteen said 9 and the phone said 10: one person alone on an option. A score of 100
    # next to "14 said 9" would tell what that one person answered, so no score is shown.
    expect(page.get_by_test_id("enps-score")).to_have_count(0)
    expect(page.get_by_test_id("distribution-hidden").first).to_be_visible()
    expect(page.locator(f'#group-select option[value="{marketing.pk}"]')).to_be_disabled()

    page.select_option("#group-select", str(engineering.pk))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("comments").first).to_contain_text("Great team, clear goals")
    expect(page.get_by_test_id("comments").first).not_to_contain_text("Marketing says hi")

    page.goto(f"/o/{org_a.slug}/surveys/rounds/{round.pk}/results/?group={marketing.pk}")
    expect(page.get_by_test_id("results-refused")).to_contain_text("hidden to protect anonymity")
