"""Row-level security on PostgreSQL (issue 3, items 7 and 8b).

These need PostgreSQL: on SQLite the other three layers of isolation apply and
there is no database policy to test. CI runs them (DATABASE_URL is PostgreSQL)."""

import pytest
from django.db import DatabaseError, connection, transaction

from advocacy.tenancy import context, rls
from advocacy.tenancy.context import _apply_to_database, org_context, person_context
from advocacy.tenancy.models import Membership, Role, Team, TenantQuerySet
from advocacy.tenancy.selectors import organizations_for_user

from .probe import tenant_models
from .registry import Builder

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security exists on PostgreSQL only"
    ),
]


def test_the_app_acts_as_a_role_that_row_level_security_applies_to():
    assert rls.app_role(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == rls.app_role(connection)
    assert not rls.current_role_bypasses_rls(connection)


def test_every_tenant_table_has_forced_row_level_security_and_the_policy():
    tables = rls.tenant_tables()
    assert {model._meta.db_table for model in tenant_models()} <= set(tables)
    assert rls.missing_policies(connection) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname = ANY(%s) AND relrowsecurity AND relforcerowsecurity",
            [list(tables)],
        )
        assert cursor.fetchone()[0] == len(tables)


def test_a_table_that_loses_its_policy_is_reported_and_the_hook_restores_it():
    with rls.owner_role():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE tenancy_team NO FORCE ROW LEVEL SECURITY")
            cursor.execute("DROP POLICY tenant_isolation ON tenancy_invitation")
        assert rls.missing_policies(connection) == ["tenancy_invitation", "tenancy_team"]
        assert rls.apply(connection) == ["tenancy_invitation", "tenancy_team"]
        assert rls.missing_policies(connection) == []


def test_without_the_app_filter_rls_still_returns_no_foreign_row(org_a, org_b, monkeypatch):
    """The mutation test: take `for_org` away (it returns every row) and read every
    tenant table inside organization A: not one row of B comes back."""
    for org in (org_a, org_b):
        builder = Builder(org)
        for model in tenant_models():
            builder.get(model)
    monkeypatch.setattr(TenantQuerySet, "for_org", lambda self, organization: self.all())
    with org_context(org_a):
        for model in tenant_models():
            seen = set(model.objects.for_org(org_a).values_list("organization_id", flat=True))
            assert seen <= {org_a.pk}, f"{model._meta.label} returned another organization's rows"
        assert Team.objects.filter(organization=org_b).count() == 0


def test_without_the_app_filter_a_request_still_cannot_reach_a_foreign_row(
    web, admin_a, org_b, member_factory, monkeypatch
):
    foreign = member_factory(org_b, job_title="Their secret title")
    monkeypatch.setattr(TenantQuerySet, "for_org", lambda self, organization: self.all())
    client = web.as_member(admin_a)
    assert client.get(f"/o/{admin_a.organization.slug}/people/{foreign.pk}/").status_code == 404
    page = client.get(f"/o/{admin_a.organization.slug}/people/").content.decode()
    assert "Their secret title" not in page and foreign.user.email not in page


def test_writes_into_another_organization_are_refused_by_the_database(org_a, org_b):
    team = Team.objects.create(organization=org_a, name="Ours")
    with org_context(org_a), pytest.raises(DatabaseError), transaction.atomic():
        Team.objects.filter(pk=team.pk).update(organization=org_b)  # WITH CHECK refuses it
    with org_context(org_a), pytest.raises(DatabaseError), transaction.atomic():
        Team.objects.bulk_create([Team(organization=org_b, name="Planted")])
    assert Team.objects.get(pk=team.pk).organization == org_a


def test_outside_any_context_nothing_is_visible(org_a):
    Team.objects.create(organization=org_a, name="Hidden")
    # Leave every context (the test's own system context too) the way code does, so
    # this holds per session and per transaction (DB_TRANSACTION_POOLING) alike.
    system, org = context._system_reason.set(None), context._current_org.set(None)
    _apply_to_database()
    try:
        assert Team.objects.count() == 0
    finally:
        context._current_org.reset(org)
        context._system_reason.reset(system)
        _apply_to_database()
    assert Team.objects.count() == 1


def test_a_person_reads_their_own_memberships_everywhere_and_nobody_elses(
    org_a, org_b, member_factory
):
    mine_a = member_factory(org_a, Role.ADMIN)
    member_factory(org_b, Role.EMPLOYEE, user=mine_a.user)
    stranger_b = member_factory(org_b)
    with org_context(org_a), person_context(mine_a.user_id):
        assert {o.pk for o in organizations_for_user(user=mine_a.user)} == {org_a.pk, org_b.pk}
        assert not Membership.objects.filter(pk=stranger_b.pk).exists()
        # reading only: the person cannot change their membership elsewhere
        assert Membership.objects.filter(organization=org_b).update(role=Role.OWNER) == 0
