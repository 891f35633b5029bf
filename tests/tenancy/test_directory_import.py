"""An HR admin loads the company from a CSV: all or nothing, every bad row reported
by line, a re-import changes nothing, and new people get a link to set a password."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.accounts.models import User
from advocacy.tenancy.directory_import import MAX_FILE_BYTES
from advocacy.tenancy.models import ImportJob, Membership, Role, Team
from tests.conftest import ROLES

from .factories import csv_bytes

pytestmark = pytest.mark.django_db

COMPANY = csv_bytes(
    "dina@acme.test,Dina Director,Sales,,Sales Director,Jakarta,2020-01-15,manager",
    "eko@acme.test,Eko Exec,Sales / Sales East,dina@acme.test,Account Executive,Surabaya,2023-06-01,employee",
    "fitri@acme.test,Fitri Field,Sales / Sales East,eko@acme.test,SDR,Surabaya,2024-02-29,",
    'gita@acme.test,"Gita, the Curator",Marketing,dina@acme.test,Content Lead,Jakarta,,curator',
)


def _upload(client, org, data: bytes, *, name="people.csv", send_welcome=True, capture):
    with capture(execute=True):
        response = client.post(
            f"/o/{org.slug}/people/import/",
            {
                "file": SimpleUploadedFile(name, data, content_type="text/csv"),
                "send_welcome": "on" if send_welcome else "",
            },
        )
    return response


def _directory(org):
    return sorted(
        Membership.objects.filter(organization=org).values_list(
            "user__email",
            "role",
            "team__name",
            "manager__user__email",
            "job_title",
            "location",
            "hire_date",
            "is_active",
        )
    )


def test_import_creates_people_teams_and_managers_and_welcomes_them(
    web, admin_a, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    response = _upload(
        web.as_member(admin_a), org, COMPANY, capture=django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get(organization=org)
    assert response.status_code == 302 and response.url == f"/o/{org.slug}/people/import/{job.pk}/"
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count, job.teams_created) == (
        4,
        0,
        0,
        3,
    )
    assert job.content == ""  # personal data is not kept once the job is done

    eko = Membership.objects.get(organization=org, user__email="eko@acme.test")
    assert eko.team.name == "Sales East" and eko.team.parent.name == "Sales"
    assert eko.manager.user.email == "dina@acme.test"
    assert eko.hire_date == datetime.date(2023, 6, 1) and eko.job_title == "Account Executive"
    assert (
        Membership.objects.get(organization=org, user__email="fitri@acme.test").role
        == Role.EMPLOYEE
    )
    assert (
        Membership.objects.get(organization=org, user__email="gita@acme.test").user.name
        == "Gita, the Curator"
    )
    assert not User.objects.get(email="eko@acme.test").has_usable_password()

    welcomes = [m for m in mail.outbox if "eko@acme.test" in m.to]
    assert len(welcomes) == 1 and len(mail.outbox) == 4
    html = welcomes[0].alternatives[0][0]
    link = re.search(
        r"http://localhost:8000(/accounts/password/reset/key/[^\s\"]+)", welcomes[0].body
    ).group(1)
    assert link in html
    # the link is allauth's set-password page for this person
    page = web.get(link, follow=True)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()


def test_the_job_page_shows_the_result_and_htmx_polls_the_partial(
    web, admin_a, django_capture_on_commit_callbacks
):
    client = web.as_member(admin_a)
    _upload(client, admin_a.organization, COMPANY, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    url = f"/o/{admin_a.organization.slug}/people/import/{job.pk}/"
    page = client.get(url).content.decode()
    assert "<!doctype html>" in page and 'data-status="succeeded"' in page and "4 added" in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<!doctype" not in partial and 'aria-valuenow="100"' in partial
    assert "hx-trigger" not in partial  # finished: polling stops


def test_a_running_job_keeps_polling(web, admin_a):
    job = ImportJob.objects.create(
        organization=admin_a.organization,
        filename="x.csv",
        status=ImportJob.Status.VALIDATING,
        total_rows=1000,
        processed_rows=500,
    )
    partial = (
        web.as_member(admin_a)
        .get(f"/o/{admin_a.organization.slug}/people/import/{job.pk}/", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'hx-trigger="every 1s"' in partial and 'aria-valuenow="45"' in partial
    assert "500 of 1000 rows checked" in partial


def test_importing_the_same_file_again_changes_nothing(
    web, admin_a, django_capture_on_commit_callbacks
):
    client = web.as_member(admin_a)
    org = admin_a.organization
    _upload(client, org, COMPANY, capture=django_capture_on_commit_callbacks)
    before, sent = _directory(org), len(mail.outbox)
    _upload(client, org, COMPANY, capture=django_capture_on_commit_callbacks)
    second = ImportJob.objects.filter(organization=org).latest("created_at")
    assert second.status == ImportJob.Status.SUCCEEDED
    assert (
        second.created_count,
        second.updated_count,
        second.unchanged_count,
        second.teams_created,
    ) == (0, 0, 4, 0)
    assert _directory(org) == before
    assert len(mail.outbox) == sent  # nobody is welcomed twice


def test_export_then_import_is_a_no_op(web, admin_a, django_capture_on_commit_callbacks):
    client = web.as_member(admin_a)
    org = admin_a.organization
    _upload(client, org, COMPANY, capture=django_capture_on_commit_callbacks)
    response = client.get(f"/o/{org.slug}/people/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    exported = b"".join(response.streaming_content)
    assert (
        b"eko@acme.test,Eko Exec,Sales / Sales East,dina@acme.test,Account Executive,Surabaya,2023-06-01,employee"
        in exported
    )
    before = _directory(org)
    _upload(client, org, exported, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.filter(organization=org).latest("created_at")
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.created_count == job.updated_count == 0
    assert _directory(org) == before


def test_a_changed_row_updates_only_that_person(web, admin_a, django_capture_on_commit_callbacks):
    client = web.as_member(admin_a)
    org = admin_a.organization
    _upload(client, org, COMPANY, capture=django_capture_on_commit_callbacks)
    changed = COMPANY.replace(b"Account Executive,Surabaya", b"Senior Account Executive,Bandung")
    _upload(client, org, changed, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.filter(organization=org).latest("created_at")
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 3)
    eko = Membership.objects.get(organization=org, user__email="eko@acme.test")
    assert (eko.job_title, eko.location) == ("Senior Account Executive", "Bandung")


def test_a_person_from_another_organization_is_linked_and_keeps_their_name(
    web, admin_a, org_b, member_factory, django_capture_on_commit_callbacks
):
    elsewhere = member_factory(org_b, user__email="dina@acme.test", user__name="Dina Original")
    _upload(
        web.as_member(admin_a),
        admin_a.organization,
        COMPANY,
        capture=django_capture_on_commit_callbacks,
    )
    assert User.objects.filter(email="dina@acme.test").count() == 1
    assert (
        Membership.objects.get(organization=admin_a.organization, user=elsewhere.user).role
        == Role.MANAGER
    )
    elsewhere.user.refresh_from_db()
    assert elsewhere.user.name == "Dina Original"
    assert not [m for m in mail.outbox if "dina@acme.test" in m.to]  # she can already sign in


BAD_FILES = {
    "duplicate emails": (
        csv_bytes("a@acme.test,A,,,,,,", "b@acme.test,B,,,,,,", "A@acme.test,A again,,,,,,"),
        [(4, "also appears on line 2")],
    ),
    "unknown manager": (
        csv_bytes("a@acme.test,A,,nobody@acme.test,,,,"),
        [(2, "The manager nobody@acme.test is neither in the file nor in the organization")],
    ),
    "cycle in the manager chain": (
        csv_bytes(
            "a@acme.test,A,,b@acme.test,,,,",
            "b@acme.test,B,,c@acme.test,,,,",
            "c@acme.test,C,,a@acme.test,,,,",
            "d@acme.test,D,,a@acme.test,,,,",
        ),
        [
            (2, "loops: a@acme.test → b@acme.test → c@acme.test → a@acme.test"),
            (3, "loops"),
            (4, "loops"),
        ],
    ),
    "own manager": (csv_bytes("a@acme.test,A,,a@acme.test,,,,"), [(2, "their own manager")]),
    "bad values": (
        csv_bytes(
            "not-an-email,X,,,,,,",
            "a@acme.test,A,,,,,31/12/2023,",
            "b@acme.test,B,,,,,,chief",
            ",Nobody,,,,,,",
            "c@acme.test,C,,,,,,owner",
        ),
        [
            (2, "is not a valid email"),
            (3, "YYYY-MM-DD"),
            (4, "is not a role"),
            (5, "No email"),
            (6, "Owners cannot be made by import"),
        ],
    ),
    "missing columns": (b"name,team\nA,Sales\n", [(1, "Missing column(s): email")]),
    "wrong encoding": (
        "email,name\nok@acme.test,Ok\nandre@acme.test,Andr\u00e9\n".encode("latin-1"),
        [(3, "Line 3 is not UTF-8 text")],
    ),
    "header only": (b"email,name\n", [(2, "no people")]),
    "blank lines only": (b"\n\n", [(1, "no header row")]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_reported_by_line_and_imports_nothing(
    web, admin_a, case, django_capture_on_commit_callbacks
):
    data, expected = BAD_FILES[case]
    client = web.as_member(admin_a)
    org = admin_a.organization
    # one good row in front, to show it is not saved either
    if case not in ("missing columns", "wrong encoding", "header only", "blank lines only"):
        data = data.replace(b"\n", b"\ngood@acme.test,Good,Sales,,,,,\n", 1)
        expected = [(line + 1 if line > 1 else line, text) for line, text in expected]
        expected = [(line, text.replace("line 2", "line 3")) for line, text in expected]
    users, members, teams = User.objects.count(), Membership.objects.count(), Team.objects.count()
    response = _upload(client, org, data, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get(organization=org)
    assert job.status == ImportJob.Status.FAILED
    assert (User.objects.count(), Membership.objects.count(), Team.objects.count()) == (
        users,
        members,
        teams,
    )
    assert mail.outbox == []
    page = client.get(response.url).content.decode()
    rows = re.findall(r"<tr><td>(\d+|—)</td><td>(.*?)</td></tr>", page)
    assert len(rows) == len(expected), rows
    for (line, text), (shown_line, message) in zip(expected, rows, strict=True):
        assert shown_line == str(line) and text in message.replace("&#x27;", "'"), (
            shown_line,
            message,
        )


def test_an_empty_file_is_refused(web, admin_a):
    response = web.as_member(admin_a).post(
        f"/o/{admin_a.organization.slug}/people/import/",
        {"file": SimpleUploadedFile("e.csv", b"", content_type="text/csv")},
    )
    assert (
        response.status_code == 400 and "The submitted file is empty" in response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_a_50_mb_file_is_refused_before_anything_is_stored(web, admin_a):
    big = csv_bytes() + b"x" * (50 * 1024 * 1024)
    response = web.as_member(admin_a).post(
        f"/o/{admin_a.organization.slug}/people/import/",
        {"file": SimpleUploadedFile("big.csv", big, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert len(big) > MAX_FILE_BYTES


def test_a_manager_may_point_at_an_existing_member(
    web, admin_a, member_factory, django_capture_on_commit_callbacks
):
    boss = member_factory(admin_a.organization, Role.MANAGER, user__email="boss@acme.test")
    _upload(
        web.as_member(admin_a),
        admin_a.organization,
        csv_bytes("new@acme.test,New,,boss@acme.test,,,,"),
        capture=django_capture_on_commit_callbacks,
    )
    assert Membership.objects.get(user__email="new@acme.test").manager == boss


def test_a_cycle_through_an_existing_member_is_caught(
    web, admin_a, member_factory, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    boss = member_factory(org, Role.MANAGER, user__email="boss@acme.test")
    report = member_factory(org, user__email="report@acme.test", manager=boss)
    _upload(
        web.as_member(admin_a),
        org,
        csv_bytes("boss@acme.test,Boss,,report@acme.test,,,,"),
        capture=django_capture_on_commit_callbacks,
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.errors[0]["code"] == "manager_cycle"
    boss.refresh_from_db()
    assert boss.manager is None and report.manager_id == boss.pk


def test_allowed_domains_are_enforced(web, admin_a, django_capture_on_commit_callbacks):
    org = admin_a.organization
    org.allowed_signin_domains = "acme.test"
    org.save()
    _upload(
        web.as_member(admin_a),
        org,
        csv_bytes("a@acme.test,A,,,,,,", "b@gmail.com,B,,,,,,"),
        capture=django_capture_on_commit_callbacks,
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {"line": 3, "code": "domain_not_allowed", "params": {"value": "b@gmail.com"}}
    ]


def test_errors_read_in_the_admins_language(web, admin_a, django_capture_on_commit_callbacks):
    client = web.as_member(admin_a)
    _upload(
        client,
        admin_a.organization,
        csv_bytes("a@acme.test,A,,,,,2023-13-01,"),
        capture=django_capture_on_commit_callbacks,
    )
    job = ImportJob.objects.get()
    page = client.get(
        f"/o/{admin_a.organization.slug}/people/import/{job.pk}/", HTTP_ACCEPT_LANGUAGE="id"
    ).content.decode()
    assert "bukan tanggal" in page


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_may_import_or_export(web, org_a, member_factory, role):
    person = member_factory(org_a, role)
    client = web.as_member(person)
    allowed = role in (Role.OWNER, Role.ADMIN)
    assert client.get(f"/o/{org_a.slug}/people/import/").status_code == (200 if allowed else 403)
    assert client.get(f"/o/{org_a.slug}/people/export.csv").status_code == (200 if allowed else 403)
    response = client.post(
        f"/o/{org_a.slug}/people/import/",
        {
            "file": SimpleUploadedFile(
                "p.csv", csv_bytes("x@acme.test,X,,,,,,"), content_type="text/csv"
            )
        },
    )
    assert response.status_code == (302 if allowed else 403)
    if not allowed:
        assert (
            not ImportJob.objects.exists() and not User.objects.filter(email="x@acme.test").exists()
        )


def test_another_organizations_import_job_is_a_404(web, admin_a, admin_b):
    foreign = ImportJob.objects.create(organization=admin_b.organization, filename="theirs.csv")
    response = web.as_member(admin_a).get(
        f"/o/{admin_a.organization.slug}/people/import/{foreign.pk}/"
    )
    assert response.status_code == 404
