"""A LinkedIn post whose outcome was lost and cannot be looked up goes to its employee,
who says in one tap whether it is on their profile; it is not picked up again every
5 minutes meanwhile; a publication confirmed by the network shows as published at once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Share
from campaigns.services.publishing import share_mirror_settled
from campaigns.tasks import publish_due_shares
from social.models import Publication
from social.tasks import reconcile_unknown_publications
from tests.social.factories import connect

from .factories import ContentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_share(web, employee_a, social_sandbox, settings, django_capture_on_commit_callbacks):
    """A share whose post went out but whose answer was lost (LinkedIn timed out)."""
    org = employee_a.organization
    linkedin = connect(web.as_member(employee_a), employee_a, "linkedin", handle="emma.evans")
    settings.SOCIAL_HTTP_TIMEOUT = 0.5
    social_sandbox.control.fault("linkedin", kind="timeout", path="/rest/posts", delay=2)
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=ContentFactory(organization=org),
            text="Proud of the team",
            connections=[linkedin],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.UNKNOWN
    return share


def _later(share, minutes=6):
    Share.objects.filter(pk=share.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def _ask_the_network(callbacks):
    with callbacks(execute=True):
        reconcile_unknown_publications()


def _my_shares(web, member):
    url = reverse("campaigns:my_shares", kwargs={"org_slug": member.organization.slug})
    return web.as_member(member).get(url)


def test_a_post_only_the_employee_can_confirm_waits_for_them_and_yes_publishes_it(
    web,
    employee_a,
    lost_share,
    social_sandbox,
    published_events,
    django_capture_on_commit_callbacks,
):
    _ask_the_network(django_capture_on_commit_callbacks)  # LinkedIn cannot be asked: a person
    lost_share.refresh_from_db()
    assert lost_share.status == Share.Status.UNKNOWN and lost_share.waits_for_check
    assert "profile" in lost_share.error  # the share says what to do, at once

    # Not picked up again by the every-minute dispatcher, however long it waits.
    _later(lost_share, minutes=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 0
    _ask_the_network(django_capture_on_commit_callbacks)
    assert Publication.objects.get(pk=lost_share.publication_id).checks == 1

    page = _my_shares(web, employee_a)
    body = page.content.decode()
    assert 'data-testid="share-check"' in body
    assert 'hx-trigger="every 3s"' not in body  # nothing to poll for while it waits for them
    url = reverse(
        "campaigns:share_posted",
        kwargs={"org_slug": employee_a.organization.slug, "pk": lost_share.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert web.as_member(employee_a).post(url).status_code == 302
    lost_share.refresh_from_db()
    assert lost_share.status == Share.Status.PUBLISHED and lost_share.published_at
    assert [e.share_id for e in published_events] == [lost_share.pk]
    assert len(social_sandbox.control.posts("linkedin")) == 1  # never sent twice


def test_no_sends_it_again_once(
    web, employee_a, lost_share, social_sandbox, django_capture_on_commit_callbacks
):
    _ask_the_network(django_capture_on_commit_callbacks)
    social_sandbox.control.clear_faults()  # LinkedIn answers again
    before = len(social_sandbox.control.posts("linkedin"))
    url = reverse(
        "campaigns:share_not_posted",
        kwargs={"org_slug": employee_a.organization.slug, "pk": lost_share.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert web.as_member(employee_a).post(url).status_code == 302
    lost_share.refresh_from_db()
    assert lost_share.status == Share.Status.PUBLISHED, lost_share.error
    assert len(social_sandbox.control.posts("linkedin")) == before + 1  # sent again, once
    with django_capture_on_commit_callbacks(execute=True):
        assert web.as_member(employee_a).post(url).status_code == 302  # a second tap: nothing
    assert len(social_sandbox.control.posts("linkedin")) == before + 1


def test_only_its_employee_can_answer_and_only_while_it_waits(
    web, employee_a, member_factory, admin_b, lost_share, django_capture_on_commit_callbacks
):
    colleague = member_factory(employee_a.organization)
    kwargs = {"org_slug": employee_a.organization.slug, "pk": lost_share.pk}
    url = reverse("campaigns:share_posted", kwargs=kwargs)
    assert web.as_member(colleague).post(url).status_code == 404
    foreign = reverse(
        "campaigns:share_posted",
        kwargs={"org_slug": admin_b.organization.slug, "pk": lost_share.pk},
    )
    assert web.as_member(admin_b).post(foreign).status_code == 404
    # Not flagged for a person yet (the network may still answer): the tap changes nothing.
    web.as_member(employee_a).post(url)
    lost_share.refresh_from_db()
    assert lost_share.status == Share.Status.UNKNOWN


def test_a_publication_the_network_confirms_shows_as_published_at_once(
    web, employee_a, social_sandbox, settings, django_capture_on_commit_callbacks
):
    """X lets us look the post up: the beat's reconcile settles the share right away,
    not when the dispatcher next notices it."""
    org = employee_a.organization
    x = connect(web.as_member(employee_a), employee_a, "x", handle="emma")
    settings.SOCIAL_HTTP_TIMEOUT = 0.5
    social_sandbox.control.fault("x", kind="timeout", path="/2/tweets", delay=2)
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=ContentFactory(organization=org),
            text="On X",
            connections=[x],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.UNKNOWN
    _ask_the_network(django_capture_on_commit_callbacks)
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert len(social_sandbox.control.posts("x")) == 1


def _local(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


def test_the_employee_is_told_once_in_app_and_by_email_with_a_link_to_the_one_tap_answer(
    web, employee_a, lost_share, mailoutbox, django_capture_on_commit_callbacks
):
    client = web.as_member(employee_a)
    prompt_url = reverse(
        "campaigns:check_prompt", kwargs={"org_slug": employee_a.organization.slug}
    )
    assert b"share-check-prompt" not in client.get(prompt_url).content  # nothing to ask yet
    assert mailoutbox == []

    _ask_the_network(django_capture_on_commit_callbacks)  # LinkedIn cannot be asked

    # One e-mail, to the employee, with a link straight to the answer.
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [employee_a.user.email] and "LinkedIn" in mail.subject
    check_url = reverse(
        "campaigns:share_check",
        kwargs={"org_slug": employee_a.organization.slug, "pk": lost_share.pk},
    )
    assert check_url in mail.body and check_url in mail.alternatives[0][0]
    page = client.get(check_url).content.decode()
    assert 'data-testid="share-posted"' in page and 'data-testid="share-not-posted"' in page

    # The in-app prompt on every page of the organization leads to the same answer.
    feed = client.get(reverse("campaigns:feed", kwargs={"org_slug": employee_a.organization.slug}))
    assert prompt_url in feed.content.decode()  # loaded by htmx after the page
    prompt = client.get(prompt_url).content.decode()
    assert 'data-testid="share-check-prompt"' in prompt and check_url in prompt

    # Further rounds, a rerun of the reconcile, the dispatcher: no second e-mail.
    _later(lost_share, minutes=60)
    with django_capture_on_commit_callbacks(execute=True):
        publish_due_shares()
    _ask_the_network(django_capture_on_commit_callbacks)

    share_mirror_settled(
        organization=employee_a.organization, publication_id=lost_share.publication_id
    )
    assert len(mailoutbox) == 1

    # Answered: the prompt goes away.
    posted = reverse(
        "campaigns:share_posted",
        kwargs={"org_slug": employee_a.organization.slug, "pk": lost_share.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(posted)
    assert b"share-check-prompt" not in client.get(prompt_url).content


def test_the_email_speaks_the_employees_language(
    web, employee_a, lost_share, mailoutbox, django_capture_on_commit_callbacks
):
    employee_a.user.preferred_language = "id"
    employee_a.user.save(update_fields=["preferred_language"])
    _ask_the_network(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "apakah" in mail.subject, mail.subject
    assert "profil" in mail.body and "Beri tahu kami" in mail.alternatives[0][0]


def test_the_check_page_and_prompt_are_the_employees_own(
    web, employee_a, member_factory, admin_b, lost_share, django_capture_on_commit_callbacks
):
    _ask_the_network(django_capture_on_commit_callbacks)
    org = employee_a.organization
    check_url = reverse("campaigns:share_check", kwargs={"org_slug": org.slug, "pk": lost_share.pk})
    colleague = member_factory(org)
    assert web.as_member(colleague).get(check_url).status_code == 404
    foreign = reverse(
        "campaigns:share_check", kwargs={"org_slug": admin_b.organization.slug, "pk": lost_share.pk}
    )
    assert web.as_member(admin_b).get(foreign).status_code == 404
    prompt = reverse("campaigns:check_prompt", kwargs={"org_slug": org.slug})
    assert b"share-check-prompt" not in web.as_member(colleague).get(prompt).content
