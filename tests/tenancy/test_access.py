"""The one access helper: another organization's object reads as missing (404), and
the service that was handed it changes nothing."""

import pytest
from django.http import Http404
from rest_framework.exceptions import NotFound

from advocacy.accounts.models import ApiToken
from advocacy.accounts.services import api_token_create, api_token_revoke
from advocacy.tenancy.access import NotInOrganization, ensure_in_org, in_org
from advocacy.tenancy.api import exception_handler
from advocacy.tenancy.models import Team
from advocacy.tenancy.services import membership_update


def test_objects_of_the_organization_pass_and_none_is_skipped(org_a, admin_a):
    team = Team.objects.create(organization=org_a, name="Sales")
    ensure_in_org(org_a, admin_a, team, None, org_a)
    assert in_org(org_a)  # nothing handed, nothing foreign


def test_one_foreign_object_among_several_is_refused(org_a, org_b, admin_a, admin_b):
    assert not in_org(org_a, admin_a, admin_b)
    assert not in_org(org_a, org_b)
    with pytest.raises(NotInOrganization):
        ensure_in_org(org_a, admin_a, admin_b)


def test_an_unsaved_object_without_organization_is_not_in_it(org_a):
    assert not in_org(org_a, Team(name="Nowhere"))


def test_the_error_is_a_not_found_for_html_and_api():
    assert issubclass(NotInOrganization, Http404)
    response = exception_handler(NotInOrganization("Team of another organization"), {})
    assert response.status_code == 404
    # The answer is DRF's plain "not found": it does not say the object exists elsewhere.
    assert str(response.data["detail"]) == str(NotFound.default_detail)


def test_revoking_another_organizations_token_changes_nothing(org_a, admin_b):
    token, _raw = api_token_create(organization=admin_b.organization, user=admin_b.user, name="b")
    with pytest.raises(NotInOrganization):
        api_token_revoke(organization=org_a, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_foreign_team_or_manager_is_refused_and_nothing_changes(
    org_a, org_b, admin_a, employee_a, admin_b
):
    foreign_team = Team.objects.create(organization=org_b, name="Theirs")
    with pytest.raises(NotInOrganization):
        membership_update(
            organization=org_a, membership=employee_a, actor=admin_a, team=foreign_team
        )
    with pytest.raises(NotInOrganization):
        membership_update(organization=org_a, membership=employee_a, actor=admin_a, manager=admin_b)
    with pytest.raises(NotInOrganization):
        membership_update(organization=org_a, membership=admin_b, actor=admin_a, job_title="Boss")
    employee_a.refresh_from_db()
    admin_b.refresh_from_db()
    assert employee_a.team_id is None and employee_a.manager_id is None
    assert admin_b.job_title != "Boss"


def test_the_error_names_the_foreign_object_for_logs_only(org_a, admin_b):
    with pytest.raises(NotInOrganization) as refused:
        ensure_in_org(org_a, admin_b)
    assert str(refused.value) == "Membership of another organization"
    assert refused.value.args == ()


def test_renaming_or_deleting_another_organizations_team_changes_nothing(org_a, org_b, admin_a):
    from advocacy.tenancy.teams import team_delete, team_update

    theirs = Team.objects.create(organization=org_b, name="Theirs")
    with pytest.raises(NotInOrganization):
        team_update(organization=org_a, actor=admin_a, team=theirs, name="Ours now")
    with pytest.raises(NotInOrganization):
        team_delete(organization=org_a, actor=admin_a, team=theirs)
    assert Team.objects.get(pk=theirs.pk).name == "Theirs"
