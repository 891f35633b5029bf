"""Tests act as the people they describe (issue 12, item 6; tests/isolation/actors.py).

The probe in tests/isolation/services.py is shaped like a service with a
cross-organization bug: it reads and renames any team it is handed. Called
from a test, it acts as organization A, so RLS on PostgreSQL hides B's team and
the CrossTenantWrite guard refuses to save it (on SQLite too); called from a
test of a system job, the same calls go through."""

import ast
import sys
from pathlib import Path

import pytest
from django.db import connection

from advocacy.tenancy import rls
from advocacy.tenancy.context import CrossTenantWrite, current_org, in_system_context
from advocacy.tenancy.models import Team
from tests.factories import TeamFactory
from tests.isolation import services
from tests.isolation.actors import is_services_module_name
from tests.isolation.services import database_actor, team_name_read, team_rename, who_acts

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security exists on PostgreSQL only"
)


def test_the_test_body_arranges_as_the_system_and_a_service_call_acts_as_its_organization(
    org_a,
):
    assert in_system_context() and current_org() is None
    assert who_acts(organization=org_a) == (org_a, False)
    assert services.who_acts(organization=org_a) == (org_a, False)
    assert in_system_context() and current_org() is None  # and back after the call


@on_postgresql
def test_a_service_reading_another_organizations_row_fails_under_rls(org_a, org_b):
    team_b = TeamFactory(organization=org_b, name="Beta sales")
    with pytest.raises(Team.DoesNotExist):
        team_name_read(organization=org_a, team_id=team_b.pk)
    with pytest.raises(Team.DoesNotExist):
        services.team_name_read(organization=org_a, team_id=team_b.pk)
    assert team_name_read(organization=org_b, team_id=team_b.pk) == "Beta sales"


@on_postgresql
def test_the_database_sees_the_application_role_and_the_organization(org_a):
    assert database_actor(organization=org_a) == (rls.app_role(connection), str(org_a.pk), "off")


def test_a_service_writing_another_organizations_row_is_refused(org_a, org_b):
    team_b = TeamFactory(organization=org_b, name="Beta sales")
    with pytest.raises(CrossTenantWrite):
        team_rename(organization=org_a, team=team_b, name="Taken over")
    team_b.refresh_from_db()
    assert team_b.name == "Beta sales"


@pytest.mark.system_job
def test_a_system_job_keeps_the_system_context_for_its_service_calls(org_a, org_b):
    team_b = TeamFactory(organization=org_b, name="Beta sales")
    assert who_acts(organization=org_a) == (None, True)
    assert team_name_read(organization=org_a, team_id=team_b.pk) == "Beta sales"
    team_rename(organization=org_a, team=team_b, name="Renamed by the job")
    team_b.refresh_from_db()
    assert team_b.name == "Renamed by the job"


def test_monkeypatching_through_the_module_view_changes_the_real_module(monkeypatch):
    real_module = sys.modules[services.__name__]
    real = real_module.who_acts

    def fake(**kwargs):
        return "patched"

    monkeypatch.setattr(services, "who_acts", fake)
    assert real_module.who_acts is fake
    monkeypatch.undo()
    assert real_module.who_acts is real


def imports_of_services_inside_functions(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.module:
                names = [inner.module] + [f"{inner.module}.{a.name}" for a in inner.names]
            elif isinstance(inner, ast.Import):
                names = [a.name for a in inner.names]
            else:
                continue
            if any(is_services_module_name(name) for name in names):
                found.append(f"{path}:{inner.lineno}")
    return found


def test_no_test_imports_a_service_inside_a_function():
    """A service imported inside a test function is not in the module's globals,
    so its calls would escape the organization's context: import them at the top."""
    tests_dir = Path(__file__).resolve().parent.parent
    found = []
    for path in sorted(tests_dir.rglob("*.py")):
        if path.name.startswith("test_") or path.name == "conftest.py":
            found += imports_of_services_inside_functions(path)
    assert found == []
