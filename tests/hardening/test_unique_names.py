"""Team and topic names are unique in an organization whatever their case (issue 15):
a duplicate is a field error naming the field, never a 500, and changes nothing; another
organization may use the same names. Old duplicates are renamed "Sales (2)" by the
migration that adds the constraint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from advocacy.tenancy.models import Membership, Team
from advocacy.tenancy.rls import owner_role
from content_library.models import Topic
from tests.tenancy.factories import csv_bytes

pytestmark = pytest.mark.django_db


def _url(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.fixture
def admin_api(api, admin_a):
    return api.as_member(admin_a)


def test_a_second_team_of_the_same_name_in_any_case_or_place_is_refused(admin_api, org_a):
    url = _url(org_a, "teams/")
    sales = admin_api.post(url, {"name": "Sales"}).json()
    for body in ({"name": "sales"}, {"name": " SALES "}, {"name": "Sales", "parent": sales["id"]}):
        response = admin_api.post(url, body)
        assert response.status_code == 400, body
        assert response.json()["errors"]["name"] == [
            "A team called “" + body["name"].strip() + "” already exists."
        ]
    assert Team.objects.filter(organization=org_a).count() == 1


def test_renaming_a_team_onto_another_ones_name_is_refused(admin_api, org_a):
    url = _url(org_a, "teams/")
    admin_api.post(url, {"name": "Sales"})
    marketing = admin_api.post(url, {"name": "Marketing"}).json()
    response = admin_api.patch(f"{url}{marketing['id']}/", {"name": "SALES"})
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert Team.objects.get(pk=marketing["id"]).name == "Marketing"
    # its own name in another case is fine
    assert admin_api.patch(f"{url}{marketing['id']}/", {"name": "MARKETING"}).status_code == 200


def test_another_organization_may_use_the_same_names(api, admin_a, admin_b):
    for admin in (admin_a, admin_b):
        client = api.as_member(admin)
        assert client.post(_url(admin.organization, "teams/"), {"name": "Sales"}).status_code == 201
        assert (
            client.post(
                _url(admin.organization, "library/topics/"), {"name": "Careers"}
            ).status_code
            == 201
        )


def test_a_second_topic_of_the_same_name_is_a_field_error_not_a_500(admin_api, org_a):
    url = _url(org_a, "library/topics/")
    careers = admin_api.post(url, {"name": "Careers"}).json()
    again = admin_api.post(url, {"name": "careers"})
    assert again.status_code == 400
    assert again.json()["errors"]["name"] == ["A topic called “careers” already exists."]
    culture = admin_api.post(url, {"name": "Culture"}).json()
    renamed = admin_api.patch(f"{url}{culture['id']}/", {"name": "CAREERS"})
    assert renamed.status_code == 400 and "name" in renamed.json()["errors"]
    assert sorted(Topic.objects.filter(organization=org_a).values_list("name", flat=True)) == [
        "Careers",
        "Culture",
    ]
    assert careers["name"] == "Careers"


def test_the_topic_error_speaks_indonesian(admin_api, org_a):
    url = _url(org_a, "library/topics/")
    admin_api.post(url, {"name": "Karier"})
    again = admin_api.post(url, {"name": "karier"}, HTTP_ACCEPT_LANGUAGE="id")
    assert again.json()["errors"]["name"] == ["Topik bernama “karier” sudah ada."]


def test_an_import_naming_a_team_already_used_elsewhere_reports_the_line(
    admin_api, org_a, django_capture_on_commit_callbacks
):
    Team.objects.create(organization=org_a, name="EMEA")
    upload = SimpleUploadedFile(
        "p.csv",
        csv_bytes("ok@acme.test,Ok,Sales,,,,,", "two@acme.test,Two,Sales/emea,,,,,"),
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            _url(org_a, "people/imports/"), {"file": upload}, format="multipart"
        )
    job = admin_api.get(_url(org_a, f"people/imports/{response.json()['id']}/")).json()
    assert job["status"] == "failed"
    assert [e["line"] for e in job["errors"]] == [3]
    assert "already exists elsewhere" in job["errors"][0]["message"]
    assert not Team.objects.filter(organization=org_a, name="Sales").exists()
    assert not Membership.objects.filter(user__email="ok@acme.test").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_old_duplicates_deterministically(org_a, org_b):
    executor = MigrationExecutor(connection)
    with owner_role():
        executor.migrate([("tenancy", "0003_row_level_security")])
    old_apps = executor.loader.project_state([("tenancy", "0003_row_level_security")]).apps
    OldTeam = old_apps.get_model("tenancy", "Team")
    names = ["Sales", "sales", "SALES", "Sales (2)", "Ops"]
    made = [OldTeam.objects.create(organization_id=org_a.pk, name=n) for n in names]
    OldTeam.objects.create(organization_id=org_b.pk, name="Sales")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    with owner_role():  # schema work runs as the owning user, as `migrate` does
        executor.migrate(executor.loader.graph.leaf_nodes())
    after = dict(Team.objects.filter(organization=org_a).values_list("pk", "name"))
    assert [after[t.pk] for t in made] == ["Sales", "sales (3)", "SALES (4)", "Sales (2)", "Ops"]
    assert Team.objects.get(organization=org_b).name == "Sales"
