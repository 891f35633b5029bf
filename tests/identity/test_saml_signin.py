"""SAML sign-in against a real identity provider (pysaml2 over HTTP, tests/identity/idp/).

What a person and the organization see: members get in, strangers are refused with a page
that says why, and every refusal (unsigned, expired, replayed, wrong audience) is on the
audit trail with no account or membership made or changed (issue 18)."""

from __future__ import annotations

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.contrib.auth import get_user_model

from advocacy.audit.models import AuditEntry
from advocacy.identity.models import SamlSignIn
from advocacy.tenancy.models import Membership, Role, Team

from .saml_helpers import connect, round_trip

pytestmark = pytest.mark.django_db
User = get_user_model()


def _refusals(org):
    return list(
        AuditEntry.objects.for_org(org)
        .filter(action="saml.sign_in_refused")
        .values_list("details__reason", flat=True)
    )


def test_member_signs_in_and_sso_required_admits_the_session(client, org_a, member_factory, idp):
    member = member_factory(org_a, Role.EMPLOYEE)
    org_a.sso_required = True
    org_a.save(update_fields=["sso_required"])
    connect(client, org_a, idp)
    idp.sign_in_as(member.user.email, firstName="Ana", lastName="Lima")

    landing = round_trip(client, org_a, idp, next_url=f"/o/{org_a.slug}/?home=1")

    assert landing.status_code == 302 and landing.url == f"/o/{org_a.slug}/?home=1"
    records = client.session[AUTHENTICATION_METHODS_SESSION_KEY]
    assert records[-1]["method"] == "socialaccount"
    assert records[-1]["provider"] == f"saml-{org_a.slug}"
    # the organization's "single sign-on required" rule counts this sign-in
    assert client.get(f"/o/{org_a.slug}/?home=1").status_code == 200
    outcome = SamlSignIn.objects.for_org(org_a).first()
    assert (outcome.succeeded, outcome.reason, outcome.email) == (
        True,
        "signed_in",
        member.user.email,
    )


def test_another_organizations_saml_does_not_satisfy_sso_required(
    client, org_a, org_b, member_factory, idp
):
    member = member_factory(org_b, Role.EMPLOYEE)
    member_factory(org_a, Role.EMPLOYEE, user=member.user)
    org_a.sso_required = True
    org_a.save(update_fields=["sso_required"])
    connect(client, org_b, idp)
    idp.sign_in_as(member.user.email)
    round_trip(client, org_b, idp)
    assert client.get(f"/o/{org_b.slug}/?home=1").status_code == 200
    refused = client.get(f"/o/{org_a.slug}/?home=1")
    assert refused.status_code == 302 and refused.url.startswith("/sso-required/")


def test_unknown_person_is_refused_when_just_in_time_is_off(client, org_a, idp):
    connect(client, org_a, idp)
    idp.sign_in_as("stranger@example.com")
    page = round_trip(client, org_a, idp)
    assert page.status_code == 403
    assert "not a member of this organization" in page.content.decode()
    assert not User.objects.filter(email="stranger@example.com").exists()
    assert _refusals(org_a) == ["not_a_member"]
    assert "_auth_user_id" not in client.session


def test_just_in_time_membership_maps_team_and_caps_the_role(client, org_a, idp):
    Team.objects.create(organization=org_a, name="Sales")
    connect(client, org_a, idp, just_in_time=True)
    idp.sign_in_as(
        "new.hire@example.com", firstName="Nia", lastName="Putri", team="sales", role="manager"
    )
    assert round_trip(client, org_a, idp).status_code == 302
    membership = Membership.objects.for_org(org_a).get(user__email="new.hire@example.com")
    assert (membership.role, membership.team.name, membership.user.name) == (
        Role.MANAGER,
        "Sales",
        "Nia Putri",
    )
    assert membership.user.emailaddress_set.get().verified

    client.logout()
    idp.sign_in_as("second@example.com", role="owner")
    round_trip(client, org_a, idp)
    second = Membership.objects.for_org(org_a).get(user__email="second@example.com")
    assert (second.role, second.team) == (Role.EMPLOYEE, None)
    joined = AuditEntry.objects.for_org(org_a).filter(action="saml.member_joined")
    assert joined.count() == 2


def test_account_of_another_organization_is_not_joined_by_just_in_time(
    client, org_a, org_b, member_factory, idp
):
    outsider = member_factory(org_b, Role.ADMIN)
    connect(client, org_a, idp, just_in_time=True)
    idp.sign_in_as(outsider.user.email, role="employee")
    page = round_trip(client, org_a, idp)
    assert page.status_code == 403
    assert not Membership.objects.for_org(org_a).filter(user=outsider.user).exists()
    assert _refusals(org_a) == ["not_a_member"]


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("unsigned", "without a signature"),
        ("expired", "has expired"),
        ("wrong_audience", "made for another application"),
    ],
)
def test_bad_assertions_are_refused_and_change_nothing(
    client, org_a, member_factory, idp, fault, words
):
    member = member_factory(org_a, Role.EMPLOYEE, job_title="Analyst")
    connect(client, org_a, idp, just_in_time=True)
    users_before = User.objects.count()
    for email in (member.user.email, "brand.new@example.com"):
        idp.fault = fault
        idp.sign_in_as(email, role="manager")
        page = round_trip(client, org_a, idp)
        assert page.status_code == 403
        assert words in page.content.decode()
        assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    member.refresh_from_db()
    assert (member.role, member.job_title, member.is_active) == (Role.EMPLOYEE, "Analyst", True)
    assert _refusals(org_a) == [fault, fault]
    last = SamlSignIn.objects.for_org(org_a).first()
    assert (last.succeeded, last.reason) == (False, fault)


def test_a_replayed_assertion_is_refused(client, org_a, member_factory, idp):
    member = member_factory(org_a, Role.EMPLOYEE)
    connect(client, org_a, idp)
    idp.sign_in_as(member.user.email)
    assert round_trip(client, org_a, idp).status_code == 302
    client.logout()

    idp.fault = "replay"  # the very response that just worked, posted again
    page = round_trip(client, org_a, idp)
    assert page.status_code == 403
    assert "already used" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert _refusals(org_a) == ["replayed"]


def test_bad_answers_in_indonesian(client, org_a, idp):
    connect(client, org_a, idp)
    client.cookies["django_language"] = "id"
    idp.fault = "unsigned"
    idp.sign_in_as("someone@example.com")
    page = round_trip(client, org_a, idp)
    assert page.status_code == 403
    assert "Kami tidak dapat memasukkan Anda" in page.content.decode()
