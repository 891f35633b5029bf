"""An employee downloads everything Chorus holds about them, then deletes their
account, on a phone."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from advocacy.accounts.models import User
from advocacy.tenancy.models import Role
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_employee_exports_their_data_and_deletes_their_account(
    phone_page, login, org_a, member_factory, password, settings, tmp_path
):
    settings.PRIVACY_EXPORT_ROOT = tmp_path
    member_factory(org_a, Role.OWNER)
    employee = member_factory(org_a, Role.EMPLOYEE, job_title="Field engineer")
    email = employee.user.email
    page = phone_page
    login(page, email, password)

    page.goto(f"/o/{org_a.slug}/me/data/")
    page.get_by_test_id("export-request").click()
    download_link = page.get_by_test_id("export-download")
    expect(download_link).to_be_visible()
    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    data = json.loads(zipfile.ZipFile(path).read("data.json"))
    assert data["account"][0]["email"] == email
    assert data["tenancy.membership"][0]["job_title"] == "Field engineer"

    page.get_by_label("Type your email address to confirm").fill(email)
    page.get_by_test_id("account-delete").click()
    expect(page.get_by_test_id("account-deleted")).to_be_visible()
    assert not User.objects.filter(email=email).exists()

    login(page, email, password)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # refused, still on sign-in
