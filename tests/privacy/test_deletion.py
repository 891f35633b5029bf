"""Deleting one's account and deleting an organization, tried the wrong ways first."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from advocacy.accounts.models import ApiToken, User
from advocacy.accounts.services import api_token_create
from advocacy.audit.models import AuditEntry
from advocacy.audit.services import audit_record
from advocacy.privacy.models import OrganizationDeletion
from advocacy.privacy.services import organization_deletions_due
from advocacy.tenancy.models import Membership, Organization, Role
from recognition.models import PointEntry
from tests.analytics.engagement_support import connect_account, publish

pytestmark = pytest.mark.django_db


def url(org, name):
    return reverse(f"privacy:{name}", kwargs={"org_slug": org.slug})


def test_a_wrong_confirmation_changes_nothing(web, org_a, employee_a):
    response = web.as_member(employee_a).post(
        url(org_a, "account_delete"), {"confirm_email": "someone@else.com"}, follow=True
    )
    assert "Type your email address exactly" in response.content.decode()
    employee_a.user.refresh_from_db()
    assert employee_a.user.is_active and "@example.com" in employee_a.user.email


def test_the_last_owner_cannot_delete_their_account(web, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    response = web.as_member(owner).post(
        url(org_a, "account_delete"), {"confirm_email": owner.user.email}, follow=True
    )
    assert "last owner of Acme Test" in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active and owner.user.is_active


def test_deleting_an_account_anonymises_it_and_lists_published_posts(
    web, sandbox, org_a, employee_a, member_factory, django_capture_on_commit_callbacks
):
    manager_report = member_factory(org_a, Role.EMPLOYEE, manager=employee_a)
    connection_ = connect_account(sandbox, employee_a, "linkedin", handle="emma.evans")
    share = publish(connection_, capture=django_capture_on_commit_callbacks)
    points_before = list(
        PointEntry.objects.for_org(org_a)
        .filter(membership=employee_a)
        .values_list("points", flat=True)
    )
    api_token_create(organization=org_a, user=employee_a.user, name="script")
    email = employee_a.user.email

    response = web.as_member(employee_a).post(
        url(org_a, "account_delete"), {"confirm_email": email}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert share.publication.external_url and share.publication.external_url in body

    user = User.objects.get(pk=employee_a.user_id)
    assert (user.email, user.name, user.is_active) == (
        f"deleted-{user.pk}@deleted.invalid",
        "",
        False,
    )
    assert not user.has_usable_password()
    assert not User.objects.filter(email=email).exists()
    membership = Membership.objects.get(pk=employee_a.pk)
    assert not membership.is_active and membership.job_title == ""
    manager_report.refresh_from_db()
    assert manager_report.manager_id is None
    assert not ApiToken.objects.filter(user=user).exists()
    # the organization's totals stay: the share and the ledger remain, pointing at no one
    share.refresh_from_db()
    assert share.status == "published"
    assert (
        list(
            PointEntry.objects.for_org(org_a)
            .filter(membership=membership)
            .values_list("points", flat=True)
        )
        == points_before
    )
    entry = AuditEntry.objects.for_org(org_a).get(action="account.deleted")
    assert email not in (entry.actor_label + entry.target_label)
    # the session is over and the address cannot sign in
    assert web.get(url(org_a, "my_data")).status_code in (302, 404)
    assert not web.login(email=email, password="correct-horse-battery-staple")


def test_deleting_an_organization_is_two_steps_and_delayed(
    web, org_a, org_b, admin_b, member_factory
):
    owner = member_factory(org_a, Role.OWNER)
    admin = member_factory(org_a, Role.ADMIN)
    client = web.as_member(owner)
    assert (
        web.as_member(admin)
        .post(url(org_a, "organization"), {"action": "delete", "confirm_slug": org_a.slug})
        .status_code
        == 403
    )

    client = web.as_member(owner)
    response = client.post(url(org_a, "organization"), {"action": "delete", "confirm_slug": "acme"})
    assert response.status_code == 400 and "address exactly" in response.content.decode()
    assert not OrganizationDeletion.objects.exists()

    client.post(url(org_a, "organization"), {"action": "delete", "confirm_slug": org_a.slug})
    deletion = OrganizationDeletion.objects.for_org(org_a).get()
    assert deletion.execute_after > timezone.now() + datetime.timedelta(days=6)
    assert "deletion-scheduled" in client.get(url(org_a, "organization")).content.decode()
    assert organization_deletions_due() == 0  # not before the delay
    assert Organization.objects.filter(pk=org_a.pk).exists()

    client.post(url(org_a, "organization"), {"action": "cancel"})
    later = timezone.now() + datetime.timedelta(days=8)
    assert organization_deletions_due(now=later) == 0
    assert Organization.objects.filter(pk=org_a.pk).exists()

    client.post(url(org_a, "organization"), {"action": "delete", "confirm_slug": org_a.slug})
    audit_record(organization=org_b, actor=admin_b, action="team.created")
    assert organization_deletions_due(now=later) == 1
    assert not Organization.objects.filter(pk=org_a.pk).exists()
    assert not Membership.objects.filter(organization_id=org_a.pk).exists()
    assert not AuditEntry.objects.filter(organization_id=org_a.pk).exists()
    # the other organization is untouched, its audit trail included
    assert Membership.objects.filter(organization=org_b).count() == 1
    assert AuditEntry.objects.for_org(org_b).count() == 1
    # the people themselves keep their accounts
    assert User.objects.filter(pk=owner.user_id).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the audit trigger exists on PostgreSQL only"
)
def test_erasing_an_organization_is_the_only_way_audit_rows_go(org_a, admin_a):
    from django.db import DatabaseError, transaction

    audit_record(organization=org_a, actor=admin_a, action="team.created")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(organization=org_a)._raw_delete(connection.alias)
    assert AuditEntry.objects.filter(organization=org_a).count() == 1


def test_deleting_an_account_ends_its_sessions_on_every_device_and_their_drafts(
    web, org_a, employee_a, admin_a
):
    from django.contrib.sessions.models import Session
    from django.test import Client

    from campaigns.composer_flow import DRAFTS_KEY

    phone = Client()
    phone.force_login(employee_a.user)
    draft = phone.session
    draft[DRAFTS_KEY] = {f"{org_a.pk}:1": "A draft only I should ever see"}
    draft.save()
    colleague = Client()
    colleague.force_login(admin_a.user)  # someone else's session stays

    response = web.as_member(employee_a).post(
        url(org_a, "account_delete"), {"confirm_email": employee_a.user.email}
    )
    assert response.status_code == 200
    left = [session.get_decoded() for session in Session.objects.all()]
    assert not any("A draft only I should ever see" in str(data) for data in left)
    assert [data.get("_auth_user_id") for data in left] == [str(admin_a.user_id)]
    assert phone.get(url(org_a, "my_data")).status_code in (302, 404)
    assert colleague.get(url(org_a, "my_data")).status_code == 200
