"""Publishing shares through the social app against the sandbox network: now, when
due (picked from the database by the every-minute dispatcher), failures with retry,
and never twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.context import org_context
from campaigns import services
from campaigns.models import Share
from campaigns.services.publishing import share_publish
from campaigns.tasks import publish_due_shares
from social.models import Publication
from tests.social.factories import connect

from .factories import ContentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linkedin(web, employee_a, social_sandbox):
    return connect(web.as_member(employee_a), employee_a, "linkedin", handle="emma.evans")


def _posts(sandbox):
    return sandbox.control.posts("linkedin")


def test_share_now_is_published_through_the_sandbox(
    employee_a, linkedin, social_sandbox, published_events, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    content = ContentFactory(organization=org, title="We opened a plant in Surabaya")
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=content,
            text="So proud of our team!",
            connections=[linkedin],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED, share.error
    assert share.published_at is not None and share.followers_at_share == linkedin.followers
    assert (
        share.publication.status == Publication.Status.PUBLISHED and share.publication.external_id
    )
    posts = _posts(social_sandbox)
    assert len(posts) == 1
    code = share.links.get().code
    assert f"/r/{code}" in str(posts[0])  # the post carries the tracked link
    assert [(e.share_id, e.network) for e in published_events] == [(share.pk, "linkedin")]


def test_scheduled_share_waits_until_due_then_the_dispatcher_publishes_it(
    employee_a, linkedin, social_sandbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=ContentFactory(organization=org),
            text="Later",
            connections=[linkedin],
            scheduled_at=timezone.now() + datetime.timedelta(hours=1),
        )[0]
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 0
    assert _posts(social_sandbox) == []
    Share.objects.filter(pk=share.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 1
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED and len(_posts(social_sandbox)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 0  # published: never picked again
    assert len(_posts(social_sandbox)) == 1


def test_a_share_is_published_once_even_when_handed_out_twice(employee_a, linkedin, social_sandbox):
    org = employee_a.organization
    share = services.share_compose(
        organization=org,
        membership=employee_a,
        content=ContentFactory(organization=org),
        text="Once",
        connections=[linkedin],
    )[0]
    with org_context(org):
        first = share_publish(organization=org, share_id=share.pk)
        second = share_publish(organization=org, share_id=share.pk)
    assert first.status == Share.Status.PUBLISHED and second is None
    assert len(_posts(social_sandbox)) == 1


def test_a_share_whose_worker_died_before_the_call_is_published_once_later(
    employee_a, linkedin, social_sandbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    share = services.share_compose(
        organization=org,
        membership=employee_a,
        content=ContentFactory(organization=org),
        text="Lost worker",
        connections=[linkedin],
    )[0]
    # The task claimed it and died: publishing, no publication yet, ten minutes ago.
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Share.objects.filter(pk=share.pk).update(
        status=Share.Status.PUBLISHING, status_changed_at=long_ago, dispatched_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 1
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED and len(_posts(social_sandbox)) == 1


def test_failure_is_shown_with_retry_and_reported_to_admins(
    web, employee_a, admin_a, linkedin, social_sandbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    social_sandbox.control.fault("linkedin", status=422, path="/rest/posts")
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=ContentFactory(organization=org),
            text="Refused",
            connections=[linkedin],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.FAILED and share.error
    assert _posts(social_sandbox) == []

    client = web.as_member(employee_a)
    mine = client.get(
        reverse("campaigns:my_shares", kwargs={"org_slug": org.slug})
    ).content.decode()
    assert 'data-testid="share-error"' in mine and 'data-testid="retry"' in mine
    admin_page = web.as_member(admin_a).get(
        reverse("campaigns:failed_shares", kwargs={"org_slug": org.slug})
    )
    assert (
        admin_page.status_code == 200
        and admin_page.content.decode().count('data-testid="failed-share"') == 1
    )

    client = web.as_member(employee_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:share_retry", kwargs={"org_slug": org.slug, "pk": share.pk})
        )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED and share.attempts == 1
    assert len(_posts(social_sandbox)) == 1
    assert (
        Publication.objects.filter(organization=org).count() == 2
    )  # a new attempt, a new idempotency key


def test_a_passing_fault_puts_the_share_back_in_line_not_failed(
    employee_a, linkedin, social_sandbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    social_sandbox.control.fault("linkedin", status=429, path="/rest/posts")
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=ContentFactory(organization=org),
            text="Wait",
            connections=[linkedin],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.SCHEDULED and share.scheduled_at > timezone.now()
    assert share.dispatched_at is None
