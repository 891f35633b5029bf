"""Streamed CSV downloads keep their organization.

Their rows are read after the view has returned; on PostgreSQL, row-level
security then hid every row and the directory export came out empty. These run
on both databases; on PostgreSQL (CI) they are the regression test."""

from contextlib import contextmanager

import pytest

from advocacy.audit.services import audit_record
from advocacy.tenancy import context
from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db


@contextmanager
def _outside_any_context():
    """Where a WSGI server iterates a streamed body: after the request's context closed
    (the test body otherwise acts in the system context, which would see every row)."""
    token = context._system_reason.set(None)
    context._apply_to_database()
    try:
        yield
    finally:
        context._system_reason.reset(token)
        context._apply_to_database()


def _csv(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    with _outside_any_context():
        return b"".join(response.streaming_content).decode()


def test_the_directory_export_lists_the_organizations_people_and_no_one_else(
    web, org_a, admin_a, member_factory, admin_b
):
    colleague = member_factory(org_a, Role.EMPLOYEE)
    exported = _csv(web.as_member(admin_a).get(f"/o/{org_a.slug}/people/export.csv"))
    assert colleague.user.email in exported and admin_a.user.email in exported
    assert admin_b.user.email not in exported
    assert len(exported.strip().splitlines()) == 3  # header and two people


def test_the_audit_export_lists_the_organizations_entries_only(web, org_a, admin_a, admin_b):
    audit_record(organization=org_a, actor=admin_a, action="people.invited")
    audit_record(organization=admin_b.organization, actor=admin_b, action="people.removed")
    exported = _csv(web.as_member(admin_a).get(f"/o/{org_a.slug}/audit/export.csv"))
    assert "people.invited" in exported
    assert "people.removed" not in exported
