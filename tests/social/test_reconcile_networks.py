"""Reconciliation looks the post up on every network: an answer lost after the
network stored the post settles as published with the network's own id, a
post that never arrived is sent exactly once more, never twice."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from advocacy.tenancy.access import NotInOrganization
from social import services
from social.crypto import decrypt_token
from social.models import Publication
from social.providers.base import RecentPost
from social.providers.linkedin import DEFAULT_SCOPES as LINKEDIN_SCOPES
from social.services.publishing import LOOKUP_LIMIT, _listing_reaches, match_post

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, social_sandbox, start_connect  # noqa: F401

pytestmark = pytest.mark.django_db

NETWORKS = ["linkedin", "x", "facebook", "mastodon", "bluesky"]
# Where each network's publish call goes (a substring of the path below its prefix).
PUBLISH_PATH = {
    "linkedin": "/rest/posts",
    "x": "/2/tweets",
    "facebook": "/feed",
    "mastodon": "/api/v1/statuses",
    "bluesky": "com.atproto.repo.createRecord",
}
TEXT = "Our Q3 report is out: 40% more volunteers & a new office"
LINK = "https://acme.example/r/q3report"


@pytest.fixture
def connected(web, employee_a, social_sandbox, settings):
    """Connect the employee to a network through the real flow. LinkedIn lists a
    member's own posts only with r_member_social, so this app asks for it."""

    def _connect(network: str):
        client = web.as_member(employee_a)
        if network == "linkedin":
            settings.SOCIAL_PROVIDERS = {
                "linkedin": {
                    "api_base_url": social_sandbox.url("linkedin"),
                    "client_id": "chorus-linkedin-partner",  # r_member_social needs the CMA product
                    "client_secret": "chorus-linkedin-partner-secret",
                    "scopes": [*LINKEDIN_SCOPES, "r_member_social"],
                }
            }
        if network == "bluesky":
            start_connect(
                client,
                employee_a,
                "bluesky",
                handle="emma.bsky.social",
                app_password="abcd-efgh-ijkl-mnop",
            )
            return employee_a.connections.get(network="bluesky")
        if network == "mastodon":
            return connect(
                client, employee_a, "mastodon", instance_url=social_sandbox.url("mastodon")
            )
        return connect(client, employee_a, network)

    return _connect


def make(connection, key="share:1:0", text=TEXT, link=LINK):
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


def settle(publication):
    """Make the lost attempt older than the time a network's list may lag."""
    Publication.objects.filter(pk=publication.pk).update(
        attempted_at=timezone.now() - timedelta(minutes=2)
    )


@pytest.mark.parametrize("network", NETWORKS)
def test_answer_dropped_after_the_network_stored_the_post_is_found_by_lookup(
    network, connected, social_sandbox
):
    connection = connected(network)
    social_sandbox.control.fault(network, kind="drop", path=PUBLISH_PATH[network], method="POST")

    publication = execute(make(connection))
    assert publication.status == Publication.Status.UNKNOWN
    stored = social_sandbox.control.posts(network)
    assert len(stored) == 1  # the network has it; we never heard back

    publication = reconcile(publication)
    assert publication.status == Publication.Status.PUBLISHED
    assert publication.external_id == stored[0]["id"]
    assert publication.external_url.startswith("http")
    assert not publication.needs_manual_check
    # Settled by looking, not by sending again; and a rerun changes nothing.
    assert execute(publication).status == Publication.Status.PUBLISHED
    assert reconcile(publication).status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts(network)) == 1


@pytest.mark.parametrize("network", NETWORKS)
def test_a_post_that_never_arrived_is_sent_exactly_once_more(network, connected, social_sandbox):
    connection = connected(network)
    # A garbled 200: the request may have reached the network, but nothing was stored.
    social_sandbox.control.fault(
        network, kind="malformed", path=PUBLISH_PATH[network], method="POST"
    )
    publication = execute(make(connection))
    assert publication.status == Publication.Status.UNKNOWN
    assert social_sandbox.control.posts(network) == []

    # Just after the attempt, "not in the list" is not believed yet.
    publication = reconcile(publication)
    assert publication.status == Publication.Status.UNKNOWN
    assert not publication.needs_manual_check

    settle(publication)
    publication = reconcile(publication)
    if network == "mastodon":
        # Resent with the same Idempotency-Key, which the instance deduplicates.
        assert publication.status == Publication.Status.PUBLISHED
    else:
        assert publication.status == Publication.Status.PENDING
        assert social_sandbox.control.posts(network) == []
        publication = execute(publication)
        assert publication.status == Publication.Status.PUBLISHED
    posts = social_sandbox.control.posts(network)
    assert len(posts) == 1
    assert publication.external_id == posts[0]["id"]


def test_an_identical_older_post_is_not_taken_for_this_one(connected, social_sandbox):
    connection = connected("linkedin")
    # The same words and link, posted by hand a day before this publication existed.
    social_sandbox.control.advance(-86400)
    earlier = execute(make(connection, key="share:0:0"))
    assert earlier.status == Publication.Status.PUBLISHED
    social_sandbox.control.advance(86400)

    social_sandbox.control.fault("linkedin", kind="malformed", path="/rest/posts", method="POST")
    Publication.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=1))
    publication = execute(make(connection, key="share:1:0"))
    assert publication.status == Publication.Status.UNKNOWN
    settle(publication)
    publication = reconcile(publication)
    assert publication.status == Publication.Status.PENDING  # the old post is not ours
    assert execute(publication).status == Publication.Status.PUBLISHED
    assert len(social_sandbox.control.posts("linkedin")) == 2


def test_linkedin_without_the_read_permission_waits_for_a_person(
    web, employee_a, social_sandbox, settings
):
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")  # default scopes
    social_sandbox.control.fault("linkedin", kind="drop", path="/rest/posts", method="POST")
    publication = execute(make(connection))
    publication = reconcile(publication)
    assert publication.status == Publication.Status.UNKNOWN
    assert publication.needs_manual_check
    assert len(social_sandbox.control.posts("linkedin")) == 1


def test_reconciling_another_organizations_publication_is_refused(connected, org_b, social_sandbox):
    connection = connected("x")
    social_sandbox.control.fault("x", kind="drop", path="/2/tweets", method="POST")
    publication = execute(make(connection))
    with pytest.raises(NotInOrganization):
        services.publication_reconcile(organization=org_b, publication=publication)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.UNKNOWN
    assert publication.checks == 0


def test_matching_needs_the_same_words_and_link_within_the_window(connected):
    publication = make(connected("x"))
    now = datetime.now(tz=UTC)
    same = RecentPost("1", "u1", f"{TEXT}\n\n{LINK}", LINK, now)
    other_link = RecentPost("2", "u2", f"{TEXT} https://acme.example/r/other", None, now)
    longer = RecentPost("3", "u3", f"{TEXT} (edited) {LINK}", LINK, now)
    too_old = RecentPost("4", "u4", f"{TEXT} {LINK}", LINK, now - timedelta(days=2))
    since = now - timedelta(hours=1)
    assert match_post(publication, [other_link, longer, same], since=since) is same
    assert match_post(publication, [other_link, longer, too_old], since=since) is None
    # Fifty newer posts and none older than the window: ours could be further down.
    full = [RecentPost(str(i), "u", "x", None, now) for i in range(LOOKUP_LIMIT)]
    assert not _listing_reaches(full, since)
    assert _listing_reaches(full[:-1], since)
    assert _listing_reaches([*full[:-1], too_old], since)


@pytest.mark.parametrize("network", ["linkedin", "x", "mastodon", "bluesky"])
def test_disconnecting_revokes_the_grant_on_the_network(network, connected, social_sandbox):
    connection = connected(network)
    token = decrypt_token(connection.token_ciphertext)
    services.connection_disconnect(
        organization=connection.organization, connection=connection, actor=connection.membership
    )
    tokens = social_sandbox.app.state.tokens
    # Bluesky ends the session (its refresh token); the others forget the access token too.
    revoked = token.refresh_token if network == "bluesky" else token.access_token
    assert tokens[revoked].revoked


def test_a_colleague_cannot_disconnect_someone_elses_account(connected, social_sandbox, admin_a):
    """Even an admin of the same organization: the account reads as missing, the grant
    at the network and the stored token stay."""
    connection = connected("mastodon")
    token = decrypt_token(connection.token_ciphertext)
    with pytest.raises(NotInOrganization):
        services.connection_disconnect(
            organization=connection.organization, connection=connection, actor=admin_a
        )
    connection.refresh_from_db()
    assert connection.status == connection.Status.ACTIVE and connection.token_ciphertext
    assert not social_sandbox.app.state.tokens[token.access_token].revoked


def test_disconnecting_a_facebook_page_needs_no_revocation(connected, social_sandbox):
    connection = connected("facebook")
    services.connection_disconnect(
        organization=connection.organization, connection=connection, actor=connection.membership
    )
    connection.refresh_from_db()
    assert connection.status == connection.Status.DISCONNECTED
    assert connection.token_ciphertext == ""
