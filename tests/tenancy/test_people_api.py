"""The invitations and directory-import API, across the five roles and two organizations."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.tenancy.models import ImportJob, Invitation, Membership, Role, Team
from tests.conftest import ROLES

from .factories import csv_bytes, make_invitation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_invitations_api_by_role(
    api, org_a, member_factory, role, django_capture_on_commit_callbacks
):
    client = api.as_member(member_factory(org_a, role))
    pending, _raw = make_invitation(org_a, email="pending@acme.test")
    base = f"/api/v1/orgs/{org_a.slug}/invitations/"
    allowed = role in (Role.OWNER, Role.ADMIN)
    assert client.get(base).status_code == (200 if allowed else 403)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(base, {"email": "new@acme.test", "role": "employee"}, format="json")
    revoked = client.delete(f"{base}{pending.pk}/")
    pending.refresh_from_db()
    if allowed:
        assert created.status_code == 201 and created.json()["state"] == "pending"
        assert [m.to for m in mail.outbox] == [["new@acme.test"]]
        assert revoked.status_code == 204 and pending.state == "revoked"
    else:
        assert created.status_code == revoked.status_code == 403
        assert (
            not Invitation.objects.filter(email="new@acme.test").exists()
            and pending.revoked_at is None
        )
        assert mail.outbox == []


def test_invitations_api_resend_and_refusals(api, admin_a, django_capture_on_commit_callbacks):
    org = admin_a.organization
    client = api.as_member(admin_a)
    invitation, _raw = make_invitation(org, email="ana@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/orgs/{org.slug}/invitations/{invitation.pk}/resend/")
    assert response.status_code == 200 and len(mail.outbox) == 1
    owner_invite = client.post(
        f"/api/v1/orgs/{org.slug}/invitations/",
        {"email": "boss@acme.test", "role": "owner"},
        format="json",
    )
    assert owner_invite.status_code == 400
    assert not Invitation.objects.filter(email="boss@acme.test").exists()


def test_invitations_api_two_orgs(api, admin_a, admin_b):
    theirs, _raw = make_invitation(admin_b.organization, email="theirs@beta.test")
    their_team = Team.objects.create(organization=admin_b.organization, name="Their team")
    client = api.as_member(admin_a)
    base = f"/api/v1/orgs/{admin_a.organization.slug}/invitations/"
    assert client.get(f"{base}{theirs.pk}/").status_code == 404
    assert client.delete(f"{base}{theirs.pk}/").status_code == 404
    assert client.post(f"{base}{theirs.pk}/resend/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and theirs.send_count == 0
    response = client.post(
        base, {"email": "x@acme.test", "role": "employee", "team": their_team.pk}, format="json"
    )
    assert (
        response.status_code == 400 and not Invitation.objects.filter(email="x@acme.test").exists()
    )


@pytest.mark.parametrize("role", ROLES)
def test_imports_api_by_role(api, org_a, member_factory, role, django_capture_on_commit_callbacks):
    client = api.as_member(member_factory(org_a, role))
    upload = SimpleUploadedFile(
        "p.csv", csv_bytes("api@acme.test,Api Person,Ops,,,,,"), content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/orgs/{org_a.slug}/people/imports/",
            {"file": upload, "send_welcome": "false"},
            format="multipart",
        )
    if role in (Role.OWNER, Role.ADMIN):
        assert response.status_code == 201
        job = client.get(
            f"/api/v1/orgs/{org_a.slug}/people/imports/{response.json()['id']}/"
        ).json()
        assert job["status"] == "succeeded" and job["created_count"] == 1
        assert Membership.objects.filter(organization=org_a, user__email="api@acme.test").exists()
    else:
        assert response.status_code == 403
        assert (
            not ImportJob.objects.exists()
            and not Membership.objects.filter(user__email="api@acme.test").exists()
        )


def test_imports_api_reports_bad_rows(api, admin_a, django_capture_on_commit_callbacks):
    client = api.as_member(admin_a)
    upload = SimpleUploadedFile("p.csv", csv_bytes("bad-address,X,,,,,,"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/orgs/{admin_a.organization.slug}/people/imports/",
            {"file": upload},
            format="multipart",
        )
    job = client.get(
        f"/api/v1/orgs/{admin_a.organization.slug}/people/imports/{response.json()['id']}/"
    ).json()
    assert job["status"] == "failed"
    assert job["errors"] == [{"line": 2, "message": "“bad-address” is not a valid email address."}]


def test_imports_api_two_orgs(api, admin_a, admin_b):
    theirs = ImportJob.objects.create(organization=admin_b.organization, filename="theirs.csv")
    client = api.as_member(admin_a)
    assert (
        client.get(
            f"/api/v1/orgs/{admin_a.organization.slug}/people/imports/{theirs.pk}/"
        ).status_code
        == 404
    )
    listing = client.get(f"/api/v1/orgs/{admin_a.organization.slug}/people/imports/").json()
    assert listing["results"] == []
