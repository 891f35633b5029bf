"""The publishing state machine against the sandbox: a post is never made twice."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy.tenancy.access import NotInOrganization
from social import services
from social.models import Connection, ConnectionEvent, Publication
from social.services.publishing import RecentPost, match_post

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, social_sandbox  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def linkedin(web, employee_a, social_sandbox):
    return connect(web.as_member(employee_a), employee_a, "linkedin")


def make(
    connection, key="share:1:0", text="Our Q3 report is out", link="https://acme.example/r/abc"
):
    return services.publication_create(
        organization=connection.organization,
        connection=connection,
        text=text,
        link_url=link,
        idempotency_key=key,
    )


def execute(publication):
    return services.publication_execute(
        organization=publication.organization, publication=publication
    )


def reconcile(publication):
    return services.publication_reconcile(
        organization=publication.organization, publication=publication
    )


def test_publish_returns_external_id_and_url(linkedin, social_sandbox):
    publication = execute(make(linkedin))
    assert publication.status == Publication.Status.PUBLISHED
    assert publication.external_id.startswith("urn:li:")
    assert publication.external_url.startswith("https://www.linkedin.com/feed/update/")
    assert publication.published_at is not None
    posts = social_sandbox.control.posts("linkedin")
    assert len(posts) == 1 and "Q3 report" in posts[0]["text"]


def test_create_is_idempotent_on_the_key_and_execute_never_repeats(linkedin, social_sandbox):
    first = make(linkedin)
    assert make(linkedin, text="changed").pk == first.pk
    execute(first)
    again = execute(first)  # a retried task
    assert again.status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("linkedin")) == 1
    assert Publication.objects.count() == 1


def test_publishing_is_committed_before_the_network_call(linkedin, social_sandbox):
    # With the network hanging, another worker sees "publishing" and leaves it alone.
    publication = make(linkedin)
    Publication.objects.filter(pk=publication.pk).update(
        status=Publication.Status.PUBLISHING, attempted_at=timezone.now()
    )
    assert execute(publication).status == Publication.Status.PUBLISHING
    assert (
        reconcile(publication).status == Publication.Status.PUBLISHING
    )  # its worker may still wait
    assert social_sandbox.control.posts("linkedin") == []


def test_timeout_after_the_network_posted_is_unknown_then_reconciled_once_mastodon(
    web, employee_a, social_sandbox, settings
):
    connection = connect(
        web.as_member(employee_a),
        employee_a,
        "mastodon",
        instance_url=social_sandbox.url("mastodon"),
    )
    settings.SOCIAL_HTTP_TIMEOUT = 0.5
    social_sandbox.control.fault("mastodon", kind="timeout", path="/api/v1/statuses", delay=2)
    publication = execute(make(connection))
    assert publication.status == Publication.Status.UNKNOWN
    assert "could not confirm" in publication.error
    assert len(social_sandbox.control.posts("mastodon")) == 1  # it did go out

    publication = reconcile(publication)
    assert publication.status == Publication.Status.PUBLISHED
    posts = social_sandbox.control.posts("mastodon")
    assert len(posts) == 1
    assert publication.external_id == posts[0]["id"]


def test_timeout_on_x_is_reconciled_without_a_second_post(
    web, employee_a, social_sandbox, settings
):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    settings.SOCIAL_HTTP_TIMEOUT = 0.5
    social_sandbox.control.fault("x", kind="timeout", path="/2/tweets", delay=2)
    publication = execute(make(connection))
    assert publication.status == Publication.Status.UNKNOWN
    publication = reconcile(publication)
    assert publication.status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("x")) == 1
    assert execute(publication).status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("x")) == 1


def test_garbled_answer_is_unknown_then_found_missing_and_sent_exactly_once(
    web, employee_a, social_sandbox
):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    social_sandbox.control.fault("x", kind="malformed", path="/2/tweets")
    publication = execute(make(connection))
    assert publication.status == Publication.Status.UNKNOWN  # a 200 we could not read
    # Right after the attempt the network's list may lag: not believed yet.
    assert reconcile(publication).status == Publication.Status.UNKNOWN
    Publication.objects.filter(pk=publication.pk).update(
        attempted_at=timezone.now() - timedelta(minutes=2)
    )
    # The garbled answer came before anything was stored: the list proves it.
    publication = reconcile(publication)
    assert publication.status == Publication.Status.PENDING
    assert social_sandbox.control.posts("x") == []
    publication = execute(publication)
    assert publication.status == Publication.Status.PUBLISHED
    assert publication.external_id
    assert len(social_sandbox.control.posts("x")) == 1


def test_unknown_where_the_network_cannot_be_asked_waits_for_a_person(
    linkedin, social_sandbox, settings
):
    settings.SOCIAL_HTTP_TIMEOUT = 0.5
    social_sandbox.control.fault("linkedin", kind="timeout", path="/rest/posts", delay=2)
    publication = execute(make(linkedin))
    assert publication.status == Publication.Status.UNKNOWN
    publication = reconcile(publication)
    assert publication.status == Publication.Status.UNKNOWN
    assert publication.needs_manual_check
    assert reconcile(publication).status == Publication.Status.UNKNOWN
    assert len(social_sandbox.control.posts("linkedin")) == 1  # never sent again
    done = services.publication_resolve(
        organization=linkedin.organization,
        publication=publication,
        posted=True,
        external_url="https://www.linkedin.com/feed/update/urn:li:share:1/",
    )
    assert done.status == Publication.Status.PUBLISHED


def test_a_stale_publishing_row_is_treated_as_unknown(web, employee_a, social_sandbox):
    connection = connect(
        web.as_member(employee_a),
        employee_a,
        "mastodon",
        instance_url=social_sandbox.url("mastodon"),
    )
    publication = make(connection)
    Publication.objects.filter(pk=publication.pk).update(
        status=Publication.Status.PUBLISHING, attempted_at=timezone.now() - timedelta(minutes=10)
    )
    publication = reconcile(publication)
    assert publication.status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("mastodon")) == 1


def test_rate_limit_keeps_it_pending_and_the_cooldown_is_honoured(web, employee_a, social_sandbox):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    social_sandbox.control.fault("x", status=429, path="/2/tweets")
    publication = execute(make(connection))
    assert publication.status == Publication.Status.PENDING
    assert publication.retry_at > timezone.now()
    assert "slow down" in publication.error
    # The network would accept now (the fault is used up) but the cooldown holds.
    publication = execute(publication)
    assert publication.status == Publication.Status.PENDING
    assert social_sandbox.control.posts("x") == []


def test_server_error_keeps_it_pending_with_backoff(linkedin, social_sandbox):
    social_sandbox.control.fault("linkedin", status=503, path="/rest/posts")
    publication = execute(make(linkedin))
    assert publication.status == Publication.Status.PENDING
    assert publication.attempts == 1
    assert publication.retry_at > timezone.now() + timedelta(seconds=20)
    assert execute(publication).status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("linkedin")) == 1


def test_network_down_is_pending_not_unknown(linkedin, settings):
    settings.SANDBOX_URL = "http://127.0.0.1:9"
    publication = execute(make(linkedin))
    assert publication.status == Publication.Status.PENDING  # nothing left this machine
    assert "did not answer" in publication.error


def test_retired_linkedin_version_fails_clearly(linkedin, social_sandbox, settings):
    settings.LINKEDIN_API_VERSION = "202001"
    publication = execute(make(linkedin))
    assert publication.status == Publication.Status.FAILED
    assert "retired" in publication.error
    event = ConnectionEvent.objects.get(kind="error", connection=linkedin)
    assert "202001" in event.message  # admins see the network's words
    assert social_sandbox.control.posts("linkedin") == []


def test_a_connection_needing_reconnect_fails_without_calling(linkedin, social_sandbox):
    Connection.objects.filter(pk=linkedin.pk).update(status=Connection.Status.REAUTH_REQUIRED)
    linkedin.refresh_from_db()
    publication = execute(make(linkedin))
    assert publication.status == Publication.Status.FAILED
    assert "connect your account again" in publication.error
    assert social_sandbox.control.posts("linkedin") == []


def test_publications_of_another_organization_are_refused(linkedin, org_b):
    publication = make(linkedin)
    with pytest.raises(NotInOrganization):
        services.publication_execute(organization=org_b, publication=publication)
    with pytest.raises(NotInOrganization):
        services.publication_create(
            organization=org_b, connection=linkedin, text="x", link_url="", idempotency_key="z"
        )


def test_match_post_by_key_or_by_text_and_link(linkedin):
    publication = make(linkedin)
    key = f"chorus-publication-{publication.pk}"
    other = RecentPost("1", "u1", "Something else https://acme.example/r/zzz")
    by_text = RecentPost("2", "u2", "Our  Q3 report is out\n\nhttps://acme.example/r/abc")
    by_key = RecentPost("3", "u3", "edited by the network", idempotency_key=key)
    assert match_post(publication, [other, by_text]) is by_text
    assert match_post(publication, [by_text, by_key]) is by_key
    assert match_post(publication, [other]) is None


def test_beat_reconciles_unknown_publications(
    web, employee_a, social_sandbox, settings, django_capture_on_commit_callbacks
):
    from social import tasks

    connection = connect(
        web.as_member(employee_a),
        employee_a,
        "mastodon",
        instance_url=social_sandbox.url("mastodon"),
    )
    settings.SOCIAL_HTTP_TIMEOUT = 0.5
    social_sandbox.control.fault("mastodon", kind="timeout", path="/api/v1/statuses", delay=2)
    publication = execute(make(connection))
    assert publication.status == Publication.Status.UNKNOWN
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reconcile_unknown_publications() == 1
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("mastodon")) == 1
