"""The background work, done by a real Celery worker on Redis against this test's
database: clicks flushed into points, a share published on the sandbox network, and
its engagement polled. Each test enqueues what beat would and waits for the outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from analytics.models import ClickEvent, MetricSnapshot, PollSchedule
from analytics.tasks import flush_clicks, poll_due
from campaigns.models import Share
from campaigns.tasks import publish_share
from recognition.models import Cause, PointEntry
from recognition.services import settings_update
from tests.analytics.engagement_support import connect_account
from tests.campaigns.factories import ContentFactory

pytestmark = pytest.mark.worker


def _click_points(share_id: int) -> tuple[int, int]:
    entries = PointEntry.objects.filter(cause=Cause.CLICKS, reference_id=share_id)
    return sum(e.quantity for e in entries), sum(e.points for e in entries)


def test_redirects_reach_the_stream_and_the_worker_turns_them_into_click_points(
    celery_worker, settings, wsgi, link_a
):
    settings.CHORUS_CLICK_STREAM = f"chorus:test-clicks:{link_a.code}"
    worker = celery_worker()
    for visitor in range(12):  # twelve people: one milestone of ten, two towards the next
        assert wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{visitor}").status_code == 302
    assert not ClickEvent.objects.exists()  # the redirect wrote nothing to the database
    flush_clicks.delay()
    worker.wait_for(lambda: _click_points(link_a.share_id)[0] == 12, "12 clicks in the ledger")
    assert _click_points(link_a.share_id) == (12, 5)
    for visitor in range(12, 20):  # a later batch adds to the same share
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{visitor}")
    flush_clicks.delay()
    worker.wait_for(lambda: _click_points(link_a.share_id)[0] == 20, "20 clicks in the ledger")
    assert _click_points(link_a.share_id) == (20, 10)
    assert Share.objects.get(pk=link_a.share_id).clicks == 20


@pytest.fixture
def linkedin(sandbox, employee_a):
    return connect_account(sandbox, employee_a, "linkedin", handle="emma.evans")


def _pending_share(connection) -> Share:
    organization = connection.organization
    return Share.objects.create(
        organization=organization,
        membership=connection.membership,
        content=ContentFactory(organization=organization, title="Our plant in Surabaya"),
        channel=connection.network,
        connection=connection,
        text="Proud of the team behind this",
        status=Share.Status.PENDING,
        scheduled_at=timezone.now() - dt.timedelta(seconds=1),
    )


def test_the_worker_publishes_a_share_on_the_network_and_everyone_downstream_reacts(
    celery_worker, sandbox, linkedin, employee_a
):
    settings_update(organization=employee_a.organization, points_per_share=7)
    worker = celery_worker()
    share = _pending_share(linkedin)
    publish_share.delay(organization_id=share.organization_id, share_id=share.pk)
    worker.wait_for(
        lambda: (
            PointEntry.objects.filter(cause=Cause.SHARE, reference_id=share.pk).exists()
            and PollSchedule.objects.filter(share_id=share.pk).exists()
        ),
        "share points and a poll schedule",
    )
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED, share.error
    assert len(sandbox.control.posts("linkedin")) == 1
    entry = PointEntry.objects.get(cause=Cause.SHARE, reference_id=share.pk)
    assert (entry.points, entry.network, entry.content_title) == (
        7,
        "linkedin",
        "Our plant in Surabaya",
    )
    assert PollSchedule.objects.get(share_id=share.pk).state == PollSchedule.State.ACTIVE


def test_the_worker_polls_engagement_from_the_network(celery_worker, sandbox, employee_a):
    x = connect_account(sandbox, employee_a, "x", handle="emma")
    worker = celery_worker()
    share = _pending_share(x)
    publish_share.delay(organization_id=share.organization_id, share_id=share.pk)
    worker.wait_for(
        lambda: PollSchedule.objects.filter(share_id=share.pk).exists(), "a poll schedule"
    )
    PollSchedule.objects.filter(share_id=share.pk).update(
        next_poll_at=timezone.now() - dt.timedelta(seconds=1)
    )
    poll_due.delay()
    snapshot = worker.wait_for(
        lambda: MetricSnapshot.objects.filter(share_id=share.pk).first(), "a metrics snapshot"
    )
    assert snapshot.impressions is not None  # X reports impressions
    schedule = PollSchedule.objects.get(share_id=share.pk)
    assert schedule.last_polled_at is not None and schedule.next_poll_at > timezone.now()
