"""An HR admin imports the directory from a CSV, watches the progress bar finish,
and finds the new employees in the directory."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.tenancy.models import Membership, Role
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "email,name,team,manager_email,title,location,hire_date,role\n"
    "dewi@acme.test,Dewi Lestari,Sales,,Sales Director,Jakarta,2021-04-01,manager\n"
    "bagus@acme.test,Bagus Santoso,Sales / Sales East,dewi@acme.test,Account Executive,Surabaya,2023-06-01,employee\n"
    "citra@acme.test,Citra Ayu,Marketing,dewi@acme.test,Content Lead,Jakarta,,curator\n"
)


def test_admin_imports_a_csv_and_sees_the_new_employees(
    page, login, org_a, member_factory, password
):
    admin = member_factory(org_a, Role.ADMIN)
    login(page, admin.user.email, password)

    page.goto(f"/o/{org_a.slug}/people/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    page.get_by_test_id("import-form").get_by_role("button", name="Import").click()

    expect(page).to_have_url(re.compile(rf"/o/{org_a.slug}/people/import/\d+/$"))
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("import-summary")).to_contain_text("3 added")

    page.get_by_role("link", name="Open the directory").click()
    rows = page.get_by_test_id("directory-row")
    names = page.locator("[data-testid=directory-row] .fw-semibold")
    for name in ("Dewi Lestari", "Bagus Santoso", "Citra Ayu"):
        expect(names.filter(has_text=name)).to_have_count(1)
    page.get_by_label("Search").fill("account exec")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bagus Santoso")

    bagus = Membership.objects.get(organization=org_a, user__email="bagus@acme.test")
    assert bagus.manager.user.email == "dewi@acme.test" and bagus.team.parent.name == "Sales"


def test_a_bad_file_lists_its_rows_on_a_phone(phone_page, login, org_a, member_factory, password):
    admin = member_factory(org_a, Role.ADMIN)
    login(phone_page, admin.user.email, password)
    phone_page.goto(f"/o/{org_a.slug}/people/import/")
    bad = CSV + "dewi@acme.test,Dewi Again,,,,,,\nbroken-address,X,,,,,,\n"
    phone_page.set_input_files(
        "input[type=file]",
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": bad.encode()}],
    )
    phone_page.get_by_test_id("import-form").get_by_role("button", name="Import").click()
    expect(phone_page.get_by_test_id("import-progress")).to_have_attribute("data-status", "failed")
    errors = phone_page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("also appears on line 2")
    expect(errors).to_contain_text("not a valid email address")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Membership.objects.filter(organization=org_a, user__email="bagus@acme.test").exists()
