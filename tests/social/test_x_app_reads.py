"""An X app on a plan without reads: the first connection told so stops metrics
polling for the whole app (every connection made with the same client id, in
any organization), so the others are not asked and fail nothing; the answer
is asked again after a day, when the plan may have changed."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from social import services
from social.models import AppReadsRefused, Publication
from social.providers.base import NotSupported
from social.providers.x import PLAN_WITHOUT_READS

# Arrange and assert as the audited system (row-level security on PostgreSQL), with fast hashing.
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401

from .factories import connect, social_sandbox  # noqa: F401

pytestmark = pytest.mark.django_db


def _published(connection, key: str) -> str:
    publication = services.publication_create(
        organization=connection.organization,
        connection=connection,
        text=f"Our new office is open ({key})",
        link_url="",
        idempotency_key=key,
    )
    publication = services.publication_execute(
        organization=connection.organization, publication=publication
    )
    assert publication.status == Publication.Status.PUBLISHED, publication.error
    return publication.external_id


def _metrics(connection, post_id):
    return services.metrics_fetch(
        organization=connection.organization, connection=connection, external_ids=[post_id]
    )


def test_plan_without_reads_stops_metrics_for_every_connection_of_the_app(
    web, employee_a, admin_b, social_sandbox
):
    first = connect(web.as_member(employee_a), employee_a, "x", handle="emma.x")
    # another organization, the same X app ("chorus-x")
    second = connect(web.as_member(admin_b), admin_b, "x", handle="omar.x")
    first_post, second_post = _published(first, "a"), _published(second, "b")

    social_sandbox.control.policy(x_clients_without_reads=["chorus-x"])
    with pytest.raises(NotSupported) as told:
        _metrics(first, first_post)
    assert told.value.code == PLAN_WITHOUT_READS
    assert AppReadsRefused.objects.filter(network="x", client_id="chorus-x").exists()

    # X would now answer (say the plan was upgraded), but the app is not asked again
    # today: the other connection is refused here, labelled unavailable.
    social_sandbox.control.policy(x_clients_without_reads=[])
    with pytest.raises(NotSupported) as held:
        _metrics(second, second_post)
    assert held.value.code == PLAN_WITHOUT_READS
    assert "unavailable" in held.value.message
    second.refresh_from_db()
    assert second.is_usable  # the person's account is fine; nothing to reconnect

    # A day later the app is asked again, and metrics flow once more.
    AppReadsRefused.objects.update(refused_at=timezone.now() - timedelta(days=1, minutes=1))
    assert [s.external_id for s in _metrics(second, second_post)] == [second_post]
    assert [s.external_id for s in _metrics(first, first_post)] == [first_post]


def test_another_client_id_in_the_settings_is_asked_afresh(web, employee_a, social_sandbox):
    """The refusal belongs to one client id: an app with another id is not held by it."""
    AppReadsRefused.objects.create(network="x", client_id="chorus-x-old-app", reason="old plan")
    connection = connect(web.as_member(employee_a), employee_a, "x", handle="emma.x")
    post = _published(connection, "c")
    assert [s.external_id for s in _metrics(connection, post)] == [post]
    assert not services.app_reads_refused(network="x", client_id="chorus-x")
