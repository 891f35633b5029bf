"""Personal export and account deletion through the API, as the person, a colleague and
another organization would try them; the OpenAPI schema documents both."""

from __future__ import annotations

import pytest

from advocacy.privacy.models import DataExport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.PRIVACY_EXPORT_ROOT = tmp_path / "exports"


def api_url(org, path):
    return f"/api/v1/orgs/{org.slug}/privacy/{path}"


def test_a_person_exports_their_data_and_downloads_it(
    api, org_a, employee_a, django_capture_on_commit_callbacks
):
    client = api.as_member(employee_a)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(api_url(org_a, "exports/"))
    assert asked.status_code == 202, asked.content
    listed = client.get(api_url(org_a, "exports/")).json()["results"]
    assert [(e["id"], e["status"]) for e in listed] == [(asked.json()["id"], "ready")]
    assert listed[0]["kept_until"]
    download = client.get(api_url(org_a, f"exports/{listed[0]['id']}/download/"))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_someone_elses_export_and_another_organizations_are_404(
    api, org_a, org_b, employee_a, admin_a, admin_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = api.as_member(employee_a).post(api_url(org_a, "exports/")).json()["id"]
    colleague = api.as_member(admin_a)
    assert colleague.get(api_url(org_a, f"exports/{mine}/")).status_code == 404
    assert colleague.get(api_url(org_a, f"exports/{mine}/download/")).status_code == 404
    assert colleague.get(api_url(org_a, "exports/")).json()["results"] == []
    outsider = api.as_member(admin_b)
    assert outsider.get(api_url(org_b, f"exports/{mine}/")).status_code == 404
    assert outsider.get(api_url(org_b, f"exports/{mine}/download/")).status_code == 404
    assert outsider.get(api_url(org_a, "exports/")).status_code == 404
    assert (
        outsider.post(api_url(org_a, "account/delete/"), {"confirm_email": "x"}).status_code == 404
    )
    assert DataExport.objects.count() == 1


def test_deleting_the_account_needs_the_exact_email_and_then_closes_it(
    api, org_a, org_b, employee_a, admin_b
):
    client = api.as_member(employee_a)
    email = employee_a.user.email
    # Someone in another organization cannot delete this account through their own path.
    other = api.as_member(admin_b)
    refused = other.post(api_url(org_b, "account/delete/"), {"confirm_email": email})
    assert refused.status_code == 400
    client = api.as_member(employee_a)
    wrong = client.post(api_url(org_a, "account/delete/"), {"confirm_email": "no@example.com"})
    assert wrong.status_code == 400
    employee_a.user.refresh_from_db()
    assert employee_a.user.is_active and employee_a.user.email == email

    done = client.post(api_url(org_a, "account/delete/"), {"confirm_email": email})
    assert done.status_code == 200 and done.json() == []
    employee_a.user.refresh_from_db()
    assert not employee_a.user.is_active and employee_a.user.email != email
    admin_b.user.refresh_from_db()
    assert admin_b.user.is_active


def test_the_schema_documents_export_and_account_deletion(api, admin_a):
    schema = api.as_member(admin_a).get("/api/schema/?format=json")
    assert schema.status_code == 200, schema.status_code
    paths = schema.json()["paths"]
    assert "/api/v1/orgs/{org_slug}/privacy/exports/" in paths
    assert "post" in paths["/api/v1/orgs/{org_slug}/privacy/exports/"]
    assert "/api/v1/orgs/{org_slug}/privacy/account/delete/" in paths
