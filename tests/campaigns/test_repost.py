"""Reposting an advocate's share on the company account once they agreed:
the admin picks the account on the sharing settings page, the consent event
posts once through the sandbox with the share's tracked link, and a missing
account is a failure admins see."""

import pytest
from django.urls import reverse

from advocacy import events
from advocacy.tenancy.models import Role
from campaigns.links import tracked_link_url
from campaigns.models import CampaignSettings, Repost
from campaigns.services.reposts import repost_text
from tests.social.factories import connect

from .factories import ShareFactory

pytestmark = pytest.mark.django_db


def url(name, org):
    return reverse(f"campaigns:{name}", kwargs={"org_slug": org.slug})


@pytest.fixture
def reposted_events():
    seen: list = []
    handler = events.subscribe(events.ShareReposted)(seen.append)
    yield seen
    events._handlers[events.ShareReposted].remove(handler)


@pytest.fixture
def company_linkedin(web, admin_a, social_sandbox):
    """The admin connects the company account through the normal Connections flow."""
    return connect(web.as_member(admin_a), admin_a, "linkedin", handle="acme.company")


def choose_company_account(web, admin, connection):
    return web.as_member(admin).post(
        url("settings", admin.organization),
        {"announce_by_email": "on", "company_connection": str(connection.pk) if connection else ""},
    )


def consent(share, repost_request_id=41, capture=None):
    """What recognition publishes once the advocate agreed."""
    with capture(execute=True):
        events.publish(
            events.ShareRepostRequested(
                organization_id=share.organization_id,
                share_id=share.pk,
                membership_id=share.membership_id,
                requested_by_id=share.membership_id,
                repost_request_id=repost_request_id,
            )
        )


def test_admin_chooses_the_company_account_among_admins_connections(
    web, org_a, admin_a, employee_a, company_linkedin, social_sandbox
):
    employees = connect(web.as_member(employee_a), employee_a, "x", handle="emma.evans")
    page = web.as_member(admin_a).get(url("settings", org_a)).content.decode()
    assert f'value="{company_linkedin.pk}"' in page
    assert f'value="{employees.pk}"' not in page  # an employee's own account is not the company's

    refused = choose_company_account(web, admin_a, employees)
    assert refused.status_code == 400
    assert not CampaignSettings.objects.filter(company_connection=employees).exists()

    assert choose_company_account(web, admin_a, company_linkedin).status_code == 302
    assert CampaignSettings.objects.get(organization=org_a).company_connection == company_linkedin


def test_consent_reposts_once_on_the_company_account_with_the_tracked_link(
    web,
    admin_a,
    employee_a,
    company_linkedin,
    social_sandbox,
    reposted_events,
    django_capture_on_commit_callbacks,
):
    employee_a.user.name = "Emma Evans"
    employee_a.user.save()
    choose_company_account(web, admin_a, company_linkedin)
    share = ShareFactory(membership=employee_a)

    consent(share, capture=django_capture_on_commit_callbacks)

    repost = Repost.objects.get(repost_request_id=41)
    assert repost.status == Repost.Status.PUBLISHED, repost.error
    assert repost.share == share and repost.connection == company_linkedin
    posts = social_sandbox.control.posts("linkedin")
    assert len(posts) == 1
    assert posts[0]["author"] == "acme.company"
    assert posts[0]["text"].startswith("Reposting Emma Evans's post")
    link = tracked_link_url(share.links.get())
    assert posts[0]["link"] == link  # clicks still count for the advocate's share
    assert repost.publication.external_id == posts[0]["id"]
    assert [(e.repost_request_id, e.ok) for e in reposted_events] == [(41, True)]

    consent(share, capture=django_capture_on_commit_callbacks)  # a duplicate event
    assert len(social_sandbox.control.posts("linkedin")) == 1
    assert Repost.objects.count() == 1


def test_without_a_company_account_admins_see_a_clear_failure(
    web,
    admin_a,
    employee_a,
    social_sandbox,
    reposted_events,
    django_capture_on_commit_callbacks,
):
    share = ShareFactory(membership=employee_a)
    consent(share, capture=django_capture_on_commit_callbacks)

    repost = Repost.objects.get(repost_request_id=41)
    assert repost.status == Repost.Status.FAILED
    assert "No company account" in repost.error
    assert social_sandbox.control.posts() == []
    assert reposted_events[0].ok is False and "No company account" in reposted_events[0].error
    page = web.as_member(admin_a).get(url("failed_shares", admin_a.organization))
    assert page.status_code == 200
    assert "No company account is chosen for reposts" in page.content.decode()


def test_the_failed_repost_list_is_for_admins_only(
    web, org_a, employee_a, member_factory, django_capture_on_commit_callbacks, social_sandbox
):
    consent(ShareFactory(membership=employee_a), capture=django_capture_on_commit_callbacks)
    curator = member_factory(org_a, Role.CURATOR)
    assert web.as_member(curator).get(url("failed_shares", org_a)).status_code == 403


def test_another_organizations_share_or_account_cannot_be_used(
    web,
    org_a,
    admin_a,
    admin_b,
    employee_a,
    social_sandbox,
    django_capture_on_commit_callbacks,
):
    company_b = connect(web.as_member(admin_b), admin_b, "linkedin", handle="globex.company")
    # Org A's admin cannot pick org B's account (a foreign id reads like a missing one).
    assert choose_company_account(web, admin_a, company_b).status_code == 400
    assert not CampaignSettings.objects.filter(organization=org_a, company_connection__isnull=False)

    choose_company_account(web, admin_b, company_b)
    share_a = ShareFactory(membership=employee_a)
    # An event naming org B with org A's share: org B's account posts nothing.
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.ShareRepostRequested(
                organization_id=admin_b.organization_id,
                share_id=share_a.pk,
                membership_id=employee_a.pk,
                requested_by_id=admin_b.pk,
                repost_request_id=7,
            )
        )
    repost = Repost.objects.get(repost_request_id=7)
    assert repost.organization_id == admin_b.organization_id
    assert repost.status == Repost.Status.FAILED and repost.share is None
    assert social_sandbox.control.posts() == []
    assert not share_a.links.exists()  # nothing touched on org A's share
    # Org A's admins do not see org B's failures.
    page = web.as_member(admin_a).get(url("failed_shares", org_a)).content.decode()
    assert "failed-repost" not in page


def test_the_repost_speaks_the_organizations_language(org_a, employee_a):
    employee_a.user.name = "Sari Wulandari"
    employee_a.user.save()
    share = ShareFactory(membership=employee_a)
    org_a.default_language = "id"
    org_a.save()
    assert (
        repost_text(organization=org_a, share=share) == "Membagikan ulang postingan Sari Wulandari"
    )
