"""Invite by email (one or many), accept from the link, resend, revoke; every unusable
link is a clear page that changes nothing."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from advocacy.accounts.models import User
from advocacy.tenancy.models import Invitation, Membership, Role, Team
from tests.conftest import ROLES

from .factories import make_invitation

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"http://localhost:8000(/invitations/[^\s\"<]+/)", message.body).group(1)


def _state(org):
    return (
        sorted(User.objects.values_list("email", flat=True)),
        sorted(
            Membership.objects.filter(organization=org).values_list(
                "user__email", "role", "is_active"
            )
        ),
        sorted(
            Invitation.objects.filter(organization=org).values_list(
                "email", "accepted_at", "revoked_at"
            )
        ),
    )


def test_admin_invites_several_pasted_addresses(
    web, admin_a, member_factory, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    member_factory(org, user__email="already@acme.test")
    team = Team.objects.create(organization=org, name="Sales")
    with django_capture_on_commit_callbacks(execute=True):
        response = web.as_member(admin_a).post(
            f"/o/{org.slug}/people/invitations/",
            {
                "emails": "ana@acme.test, Budi@Acme.test\nnot-an-email;already@acme.test ana@acme.test",
                "role": Role.CURATOR,
                "team": team.pk,
            },
            follow=True,
        )
    page = response.content.decode()
    assert "2 invitations sent." in page
    assert (
        "The invitation to not-an-email was not sent" in page
        and "already@acme.test is already a member" in page
    )
    invitations = Invitation.objects.filter(organization=org).order_by("email")
    assert [(i.email, i.role, i.team, i.state) for i in invitations] == [
        ("ana@acme.test", Role.CURATOR, team, "pending"),
        ("budi@acme.test", Role.CURATOR, team, "pending"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@acme.test", "budi@acme.test"]
    message = mail.outbox[0]
    assert org.name in message.subject
    assert _link(message) in message.alternatives[0][0]  # the HTML part carries the same link
    assert invitations[0].token_hash not in message.body  # the stored hash is not the link


def test_invitation_email_speaks_the_organizations_language(
    web, admin_a, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    org.default_language = "id"
    org.save()
    with django_capture_on_commit_callbacks(execute=True):
        web.as_member(admin_a).post(
            f"/o/{org.slug}/people/invitations/", {"emails": "ana@acme.test", "role": "employee"}
        )
    assert mail.outbox[0].subject.startswith("Anda diundang")


def test_a_new_person_accepts_creates_an_account_and_lands_in_the_organization(
    client, admin_a, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    team = Team.objects.create(organization=org, name="Marketing")
    invitation, raw = make_invitation(
        org, email="new@acme.test", role=Role.CURATOR, team=team, invited_by=admin_a.user
    )
    page = client.get(f"/invitations/{raw}/")
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/invitations/{raw}/",
            {
                "name": "Nadia New",
                "password1": "a-long-unusual-passphrase",
                "password2": "a-long-unusual-passphrase",
            },
        )
    assert response.status_code == 302 and response.url == f"/o/{org.slug}/"
    user = User.objects.get(email="new@acme.test")
    assert user.name == "Nadia New" and user.check_password("a-long-unusual-passphrase")
    assert user.emailaddress_set.get().verified
    membership = Membership.objects.get(organization=org, user=user)
    assert (membership.role, membership.team) == (Role.CURATOR, team)
    invitation.refresh_from_db()
    assert invitation.accepted_at and invitation.accepted_by == user
    org.refresh_from_db()
    assert org.onboarding.get("invite_people") is True
    # signed in already
    assert client.get(f"/o/{org.slug}/", follow=True).status_code == 200


def test_a_used_link_is_a_clear_page_and_changes_nothing(client, admin_a):
    org = admin_a.organization
    _invitation, raw = make_invitation(org, email="new@acme.test")
    client.post(
        f"/invitations/{raw}/",
        {
            "name": "N",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    client.logout()
    before = _state(org)
    again = client.post(
        f"/invitations/{raw}/",
        {
            "name": "Thief",
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert _state(org) == before
    assert User.objects.get(email="new@acme.test").name == "N"


@pytest.mark.parametrize("problem", ["expired", "revoked"])
def test_expired_or_revoked_links_are_refused(client, admin_a, problem):
    org = admin_a.organization
    fields = (
        {"expires_at": timezone.now() - datetime.timedelta(minutes=1)}
        if problem == "expired"
        else {"revoked_at": timezone.now()}
    )
    _invitation, raw = make_invitation(org, email="late@acme.test", **fields)
    before = _state(org)
    for response in (
        client.get(f"/invitations/{raw}/"),
        client.post(
            f"/invitations/{raw}/",
            {
                "name": "L",
                "password1": "a-long-unusual-passphrase",
                "password2": "a-long-unusual-passphrase",
            },
        ),
    ):
        assert response.status_code == 410
        assert f'data-problem="{problem}"' in response.content.decode()
    assert _state(org) == before


@pytest.mark.parametrize("token", ["garbage", "1-short", "999999-" + "x" * 43])
def test_unknown_links_are_a_404_page(client, admin_a, token):
    make_invitation(admin_a.organization)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_a_link_for_another_org_id_does_not_open_a_real_invitation(client, admin_a, admin_b):
    _invitation, raw = make_invitation(admin_a.organization, email="x@acme.test")
    forged = f"{admin_b.organization.pk}-{raw.split('-', 1)[1]}"
    assert client.get(f"/invitations/{forged}/").status_code == 404


def test_signed_in_as_another_email_is_refused_without_change(web, admin_a, employee_a):
    org = admin_a.organization
    _invitation, raw = make_invitation(org, email="someone-else@acme.test", role=Role.ADMIN)
    client = web.as_member(employee_a)
    before = _state(org)
    page = client.get(f"/invitations/{raw}/")
    assert page.status_code == 403 and "someone-else@acme.test" in page.content.decode()
    assert client.post(f"/invitations/{raw}/").status_code == 403
    assert _state(org) == before
    employee_a.refresh_from_db()
    assert employee_a.role == Role.EMPLOYEE


def test_an_existing_account_signs_in_first_then_joins(
    client, admin_a, org_b, member_factory, password
):
    elsewhere = member_factory(org_b, user__email="known@acme.test")
    org = admin_a.organization
    _invitation, raw = make_invitation(org, email="known@acme.test", role=Role.MANAGER)
    page = client.get(f"/invitations/{raw}/").content.decode()
    assert "Sign in to accept" in page and 'name="password1"' not in page
    # a password post cannot take over the existing account
    refused = client.post(
        f"/invitations/{raw}/",
        {
            "name": "X",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert refused.status_code == 400
    assert not Membership.objects.filter(organization=org, user=elsewhere.user).exists()
    client.force_login(elsewhere.user)
    assert client.post(f"/invitations/{raw}/").status_code == 302
    assert Membership.objects.get(organization=org, user=elsewhere.user).role == Role.MANAGER
    elsewhere.user.refresh_from_db()
    assert elsewhere.user.check_password(password)


def test_weak_passwords_are_refused(client, admin_a):
    _invitation, raw = make_invitation(admin_a.organization, email="new@acme.test")
    response = client.post(
        f"/invitations/{raw}/", {"name": "N", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 400 and "too short" in response.content.decode()
    assert not User.objects.filter(email="new@acme.test").exists()


def test_resend_gives_a_new_link_and_the_old_one_stops_working(
    web, admin_a, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    invitation, old = make_invitation(
        org, email="ana@acme.test", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        web.as_member(admin_a).post(f"/o/{org.slug}/people/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert (
        invitation.state == "pending"
        and invitation.send_count == 1
        and invitation.expires_at > timezone.now()
    )
    new = _link(mail.outbox[-1])
    web.logout()
    assert web.get(f"/invitations/{old}/").status_code == 404
    assert web.get(new).status_code == 200


def test_revoke_stops_the_link(web, admin_a):
    org = admin_a.organization
    invitation, raw = make_invitation(org, email="ana@acme.test")
    web.as_member(admin_a).post(f"/o/{org.slug}/people/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    web.logout()
    assert web.get(f"/invitations/{raw}/").status_code == 410


def test_admins_cannot_invite_owners_but_owners_can(web, org_a, member_factory):
    admin, owner = member_factory(org_a, Role.ADMIN), member_factory(org_a, Role.OWNER)
    url = f"/o/{org_a.slug}/people/invitations/"
    assert (
        web.as_member(admin).post(url, {"emails": "boss@acme.test", "role": Role.OWNER}).status_code
        == 400
    )
    assert not Invitation.objects.exists()
    web.as_member(owner).post(url, {"emails": "boss@acme.test", "role": Role.OWNER})
    assert Invitation.objects.get().role == Role.OWNER


def test_invitations_respect_allowed_domains(web, admin_a):
    org = admin_a.organization
    org.allowed_signin_domains = "acme.test"
    org.save()
    web.as_member(admin_a).post(
        f"/o/{org.slug}/people/invitations/",
        {"emails": "a@acme.test b@eu.acme.test c@gmail.com", "role": "employee"},
    )
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "a@acme.test",
        "b@eu.acme.test",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_manage_invitations(web, org_a, member_factory, role):
    person = member_factory(org_a, role)
    invitation, _raw = make_invitation(org_a, email="pending@acme.test")
    client = web.as_member(person)
    allowed = role in (Role.OWNER, Role.ADMIN)
    base = f"/o/{org_a.slug}/people/invitations/"
    assert client.get(base).status_code == (200 if allowed else 403)
    assert client.post(base, {"emails": "new@acme.test", "role": "employee"}).status_code == (
        302 if allowed else 403
    )
    assert client.post(f"{base}{invitation.pk}/revoke/").status_code == (302 if allowed else 403)
    invitation.refresh_from_db()
    if not allowed:
        assert invitation.revoked_at is None
        assert not Invitation.objects.filter(email="new@acme.test").exists()


def test_another_organizations_invitation_cannot_be_revoked_or_resent(web, admin_a, admin_b):
    theirs, _raw = make_invitation(admin_b.organization, email="theirs@beta.test")
    client = web.as_member(admin_a)
    base = f"/o/{admin_a.organization.slug}/people/invitations/{theirs.pk}"
    assert client.post(f"{base}/revoke/").status_code == 404
    assert client.post(f"{base}/resend/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and theirs.send_count == 0
