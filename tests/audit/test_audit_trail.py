"""The audit trail as an owner, an admin, an employee and another organization see it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from advocacy.audit.models import AuditEntry
from advocacy.audit.services import audit_record
from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db


def trail_url(org, name="audit:trail"):
    return reverse(name, kwargs={"org_slug": org.slug})


def shown_actions(body: str) -> list[str]:
    return re.findall(r'<li class="list-group-item" data-action="([^"]+)"', body)


def test_admin_sees_entries_newest_first_and_filters_them(web, org_a, admin_a, employee_a):
    audit_record(
        organization=org_a,
        actor=admin_a,
        action="team.created",
        target=("tenancy.team", 1, "Sales"),
    )
    audit_record(
        organization=org_a,
        actor=admin_a,
        action="member.role_changed",
        target=employee_a,
        details={"from": "employee", "to": "curator"},
    )
    page = web.as_member(admin_a).get(trail_url(org_a))
    assert page.status_code == 200
    body = page.content.decode()
    assert shown_actions(body) == ["member.role_changed", "team.created"]
    assert "from: employee" in body and "to: curator" in body
    assert admin_a.user.email in body

    filtered = web.get(trail_url(org_a), {"action": "team.created"}).content.decode()
    assert shown_actions(filtered) == ["team.created"]


def test_employees_and_managers_cannot_open_it(web, org_a, member_factory):
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.CURATOR):
        member = member_factory(org_a, role)
        assert web.as_member(member).get(trail_url(org_a)).status_code == 403
        assert web.get(trail_url(org_a, "audit:export")).status_code == 403


def test_another_organizations_entries_never_show(web, org_a, org_b, admin_a, admin_b):
    audit_record(
        organization=org_b,
        actor=admin_b,
        action="team.created",
        target=("tenancy.team", 9, "Secret B team"),
    )
    body = web.as_member(admin_a).get(trail_url(org_a)).content.decode()
    assert "Secret B team" not in body
    exported = b"".join(web.get(trail_url(org_a, "audit:export")).streaming_content).decode()
    assert "Secret B team" not in exported


def test_csv_export_holds_the_filtered_entries_and_is_itself_recorded(web, org_a, admin_a):
    audit_record(
        organization=org_a,
        actor=admin_a,
        action="api_token.created",
        target=("accounts.apitoken", 3, "CI"),
    )
    audit_record(
        organization=org_a, actor=admin_a, action="team.deleted", target=("tenancy.team", 4, "Old")
    )
    response = web.as_member(admin_a).get(
        trail_url(org_a, "audit:export"), {"action": "team.deleted"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Time (UTC)", "Who", "Action"]
    assert [row[3] for row in rows[1:]] == ["team.deleted"]
    assert AuditEntry.objects.for_org(org_a).filter(action="audit.exported").count() == 1


def test_page_speaks_indonesian(web, org_a, admin_a):
    admin_a.user.preferred_language = "id"
    admin_a.user.save()
    audit_record(organization=org_a, actor=admin_a, action="team.created")
    body = web.as_member(admin_a).get(trail_url(org_a)).content.decode()
    assert "Jejak audit" in body and "Tim dibuat" in body


def test_ip_is_kept_only_as_a_hash(org_a, admin_a):
    entry = audit_record(organization=org_a, actor=admin_a, action="team.created", ip="203.0.113.7")
    assert entry.ip_hash and "203.0.113.7" not in entry.ip_hash


def test_entries_cannot_be_changed_through_the_model(org_a, admin_a):
    entry = audit_record(organization=org_a, actor=admin_a, action="team.created")
    with pytest.raises(Exception, match="never"):
        entry.save()
    with pytest.raises(Exception, match="never"):
        entry.delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
def test_database_refuses_update_and_delete_even_with_raw_sql(org_a, admin_a):
    entry = audit_record(organization=org_a, actor=admin_a, action="member.role_changed")
    for statement in (
        "UPDATE audit_auditentry SET action = 'nothing' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "member.role_changed"
