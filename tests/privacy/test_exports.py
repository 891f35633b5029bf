"""Personal and organization exports, as the person, a colleague, an admin and another
organization would try them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from advocacy.accounts.services import api_token_create
from advocacy.audit.models import AuditEntry
from advocacy.privacy.models import DataExport
from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.PRIVACY_EXPORT_ROOT = tmp_path / "exports"


def url(org, name, **kwargs):
    return reverse(f"privacy:{name}", kwargs={"org_slug": org.slug, **kwargs})


def archive_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_employee_downloads_everything_about_them_as_json_and_csv(
    web, org_a, employee_a, member_factory, django_capture_on_commit_callbacks
):
    colleague = member_factory(org_a, Role.EMPLOYEE)
    employee_a.job_title = "Field engineer"
    employee_a.save()
    api_token_create(organization=org_a, user=employee_a.user, name="my script")
    client = web.as_member(employee_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(org_a, "my_data")).status_code == 302
    export = DataExport.objects.for_org(org_a).get()
    assert (export.status, export.progress) == (DataExport.Status.READY, 100)

    page = client.get(url(org_a, "my_data")).content.decode()
    assert url(org_a, "export_download", pk=export.pk) in page
    archive = archive_of(client.get(url(org_a, "export_download", pk=export.pk)))
    data = json.loads(archive.read("data.json"))
    assert data["account"][0]["email"] == employee_a.user.email
    assert data["tenancy.membership"][0]["job_title"] == "Field engineer"
    assert [t["name"] for t in data["accounts.apitoken"]] == ["my script"]
    assert "key_hash" not in data["accounts.apitoken"][0]  # secrets never leave
    assert "csv/tenancy.membership.csv" in archive.namelist()
    text = archive.read("data.json").decode()
    assert colleague.user.email not in text and "password" not in text


def test_an_export_for_another_person_is_refused_and_nothing_is_made(
    web, org_a, employee_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = web.as_member(admin_a).post(url(org_a, "my_data"), {"person": employee_a.pk})
    assert response.status_code == 400
    assert "only export your own data" in response.content.decode()
    assert not DataExport.objects.exists()
    assert not AuditEntry.objects.filter(action="export.personal_requested").exists()


def test_progress_is_polled_until_the_archive_is_ready(web, org_a, employee_a):
    export = DataExport.objects.create(
        organization=org_a,
        kind="personal",
        requested_by=employee_a.user,
        progress=40,
        status=DataExport.Status.RUNNING,
    )
    row = web.as_member(employee_a).get(url(org_a, "export_status", pk=export.pk))
    body = row.content.decode()
    assert 'hx-trigger="every 2s"' in body and "40%" in body
    assert web.get(url(org_a, "export_download", pk=export.pk)).status_code == 404


def test_someone_elses_export_is_a_404_in_the_same_and_in_another_organization(
    web, org_a, org_b, employee_a, member_factory, admin_b, django_capture_on_commit_callbacks
):
    colleague = member_factory(org_a, Role.EMPLOYEE)
    with django_capture_on_commit_callbacks(execute=True):
        web.as_member(employee_a).post(url(org_a, "my_data"))
        web.as_member(admin_b).post(url(org_b, "my_data"))
    mine = DataExport.objects.for_org(org_a).get()
    theirs = DataExport.objects.for_org(org_b).get()
    client = web.as_member(colleague)
    for name in ("export_status", "export_download"):
        assert client.get(url(org_a, name, pk=mine.pk)).status_code == 404
    client = web.as_member(employee_a)
    for name in ("export_status", "export_download"):
        assert client.get(url(org_a, name, pk=theirs.pk)).status_code == 404
        assert client.get(url(org_b, name, pk=theirs.pk)).status_code == 404


def test_only_an_owner_exports_the_whole_organization(
    web, org_a, org_b, admin_a, admin_b, member_factory, django_capture_on_commit_callbacks
):
    owner = member_factory(org_a, Role.OWNER)
    assert (
        web.as_member(admin_a).post(url(org_a, "organization"), {"action": "export"}).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        web.as_member(owner).post(url(org_a, "organization"), {"action": "export"})
    export = DataExport.objects.for_org(org_a).get(kind="organization")
    data = json.loads(
        archive_of(web.get(url(org_a, "export_download", pk=export.pk))).read("data.json")
    )
    emails = {m["user_id"] for m in data["tenancy.membership"]}
    assert emails == {owner.user_id, admin_a.user_id}
    assert admin_b.user.email not in json.dumps(data)
    assert data["organization"][0]["slug"] == org_a.slug
    # an admin cannot download it either
    assert (
        web.as_member(admin_a).get(url(org_a, "export_download", pk=export.pk)).status_code == 404
    )
