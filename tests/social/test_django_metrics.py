"""The metrics service: token handling, rate-limit buckets, batch sizes."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from social import services
from social.models import Connection
from social.providers.base import RateLimited, ShareRequest

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, social_sandbox, start_connect  # noqa: F401

pytestmark = pytest.mark.django_db


def published_ids(connection, n: int) -> list[str]:
    """Posts made straight through the adapter, as a campaign would have."""
    org = connection.organization
    provider = services.connection_provider(connection)
    token = services.connection_token(organization=org, connection=connection)
    return [
        provider.publish(token, ShareRequest(text=f"Post number {i}")).external_id for i in range(n)
    ]


def fetch(connection, ids):
    return services.metrics_fetch(
        organization=connection.organization, connection=connection, external_ids=ids
    )


def test_metrics_for_posts(web, employee_a, social_sandbox):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    ids = published_ids(connection, 3)
    social_sandbox.control.advance(6 * 3600)
    snapshots = fetch(connection, ids)
    assert [s.external_id for s in snapshots] == ids
    assert all(s.impressions is not None and s.impressions > 0 for s in snapshots)
    assert all(s.reach is None for s in snapshots)  # X does not give reach: None, not 0


def test_batches_follow_the_networks_maximum(web, employee_a, social_sandbox):
    start_connect(
        web.as_member(employee_a),
        employee_a,
        "bluesky",
        handle="emma.bsky.social",
        app_password="abcd-efgh-ijkl-mnop",
    )
    connection = Connection.objects.get(network="bluesky")
    ids = published_ids(connection, 27)  # getPosts takes 25
    snapshots = fetch(connection, ids)
    assert len(snapshots) == 27


def test_a_401_refreshes_and_retries(web, employee_a, social_sandbox):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    ids = published_ids(connection, 1)
    social_sandbox.control.fault("x", status=401, path="/2/tweets")
    assert len(fetch(connection, ids)) == 1
    connection.refresh_from_db()
    assert connection.status == Connection.Status.ACTIVE


def test_429_cools_the_bucket_down_and_is_honoured(web, employee_a, social_sandbox):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    ids = published_ids(connection, 1)
    social_sandbox.control.fault("x", status=429, path="/2/tweets")
    with pytest.raises(RateLimited) as first:
        fetch(connection, ids)
    assert first.value.retry_at > datetime.now(tz=UTC)
    # The network would answer now; our bucket waits until the network's reset.
    with pytest.raises(RateLimited) as second:
        fetch(connection, ids)
    assert second.value.bucket == f"x:metrics:conn{connection.pk}"
    assert abs((second.value.retry_at - first.value.retry_at).total_seconds()) < 2


def test_bucket_follows_the_networks_headers(web, employee_a, social_sandbox):
    connection = connect(web.as_member(employee_a), employee_a, "x")
    ids = published_ids(connection, 1)
    social_sandbox.control.limits("x", limit=2, window_seconds=900)
    fetch(connection, ids)
    fetch(connection, ids)  # x-rate-limit-remaining: 0
    with pytest.raises(RateLimited) as caught:
        fetch(connection, ids)
    assert caught.value.bucket == f"x:metrics:conn{connection.pk}"  # refused before calling


def test_linkedin_without_analytics_scope_is_not_supported(
    web, employee_a, social_sandbox, settings
):
    from social.providers.base import NotSupported

    li = social_sandbox.url("linkedin")
    settings.SOCIAL_PROVIDERS = {
        "linkedin": {
            "client_id": "chorus-linkedin",
            "client_secret": "s",
            "auth_base_url": li,
            "api_base_url": li,
            "scopes": ["openid", "profile", "w_member_social"],
        }
    }
    connection = connect(web.as_member(employee_a), employee_a, "linkedin")
    assert connection.followers is None  # not shared without r_member_profileAnalytics
    with pytest.raises(NotSupported):
        fetch(connection, ["urn:li:share:1"])
