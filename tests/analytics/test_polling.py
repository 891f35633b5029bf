"""Engagement polling against the sandbox network: the schedule, 429s, an expired
token, a revoked account, repeated faults, read budgets, and storing twice."""

# The sandbox fixtures are imported from engagement_support and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.utils import timezone

from advocacy import events
from analytics.engagement.polling import MAX_FAILURES, claim_due, plan, poll_batch, slot_due
from analytics.engagement.snapshots import Reading, snapshots_store
from analytics.models import (
    AnalyticsSettings,
    Comment,
    MetricSnapshot,
    OrgDaily,
    PollFailure,
    PollSchedule,
    ReadUsage,
)
from analytics.rollups.rebuild import rollups_rebuild
from campaigns.models import Share
from social import limits
from social.crypto import decrypt_token
from social.models import Connection
from social.providers.base import MetricsSnapshot

from .engagement_support import (  # noqa: F401
    connect_account,
    publish,
    sandbox,
    sandbox_network,
)
from .rollup_support import rollup_rows

pytestmark = pytest.mark.django_db


def _poll(organization, now):
    """What beat and the workers do, at a chosen time."""
    outcomes = []
    for organization_id, connection_id, ids in claim_due(now=now):
        assert organization_id == organization.pk
        outcomes.append(
            poll_batch(
                organization=organization, connection_id=connection_id, schedule_ids=ids, now=now
            )
        )
    return outcomes


def _totals(outcomes):
    total = {}
    for outcome in outcomes:
        for key, value in outcome.items():
            total[key] = total.get(key, 0) + value
    return total


@pytest.fixture
def advocate(org_a, member_factory):
    return member_factory(org_a)


def test_the_plan_decays_with_age_and_ends_at_ninety_days():
    ages = plan("linkedin")
    assert ages[0] == dt.timedelta(minutes=15)
    gaps = {
        ages[i + 1] - ages[i] for i, age in enumerate(ages[:-1]) if age >= dt.timedelta(days=31)
    }
    assert gaps == {
        dt.timedelta(days=7),
        dt.timedelta(days=4),
    }  # weekly, then the final poll at 90 days
    assert ages[-1] == dt.timedelta(days=90)
    assert dt.timedelta(days=30) - dt.timedelta(hours=1) in plan(
        "x"
    )  # X's last read with private metrics
    facebook = plan("facebook")
    assert all(
        b - a >= dt.timedelta(days=1)
        for a, b in itertools.pairwise(facebook)
        if a >= dt.timedelta(days=1)
    )


def test_a_published_share_is_polled_through_429s_an_expired_token_and_a_revoked_account(
    sandbox,
    org_a,
    advocate,
    django_capture_on_commit_callbacks,
):
    connection = connect_account(sandbox, advocate, "x", "alice")
    shares = [publish(connection, capture=django_capture_on_commit_callbacks) for _ in range(3)]
    schedules = PollSchedule.objects.for_org(org_a).order_by("pk")
    assert [s.share_id for s in schedules] == [s.pk for s in shares]
    assert {s.state for s in schedules} == {PollSchedule.State.ACTIVE}
    assert OrgDaily.objects.for_org(org_a).get().shares == 3
    start = timezone.now()

    # Nothing is due before the first slot.
    assert _poll(org_a, start) == []

    # An hour on, the network answers 429: the batch waits until the reset, nothing fails.
    sandbox.control.advance(3600)
    sandbox.control.fault("x", status=429, path="/2/tweets", count=1)
    outcome = _totals(_poll(org_a, start + dt.timedelta(hours=1)))
    assert outcome["postponed"] == 3 and outcome["stored"] == 0
    waiting = list(PollSchedule.objects.for_org(org_a))
    assert {s.failures for s in waiting} == {0}
    assert all(s.next_poll_at > start + dt.timedelta(hours=1) for s in waiting)
    assert MetricSnapshot.objects.for_org(org_a).count() == 0

    # When the wait is over the same posts are read and their counters reach the shares.
    after_wait = max(s.next_poll_at for s in waiting) + dt.timedelta(seconds=1)
    sandbox.control.advance((after_wait - start).total_seconds() - 3600)
    limits.reset()  # the buckets run on the wall clock; this much time has passed for them too
    assert _totals(_poll(org_a, after_wait))["stored"] == 3
    first = {s.share_id: s for s in MetricSnapshot.objects.for_org(org_a)}
    for share in Share.objects.for_org(org_a):
        assert share.impressions == first[share.pk].impressions is not None
        assert share.reactions == first[share.pk].reactions
    assert first[shares[0].pk].reach is None  # X does not report reach: None, never 0

    # Three hours later the 2-hour access token has expired: it is renewed and the poll goes on.
    old_token = decrypt_token(
        Connection.objects.get(pk=connection.pk).token_ciphertext
    ).access_token
    sandbox.control.advance(3 * 3600)
    later = after_wait + dt.timedelta(hours=3)
    assert _totals(_poll(org_a, later))["stored"] == 3
    assert (
        decrypt_token(Connection.objects.get(pk=connection.pk).token_ciphertext).access_token
        != old_token
    )
    impressions = sum(s.impressions for s in Share.objects.for_org(org_a))
    assert sum(r.impressions for r in OrgDaily.objects.for_org(org_a)) == impressions

    # The account is revoked: polling pauses, nothing is lost, and resumes after reconnecting.
    sandbox.control.revoke(handle="alice", network="x")
    sandbox.control.advance(3 * 3600)
    paused_at = later + dt.timedelta(hours=3)
    assert _totals(_poll(org_a, paused_at))["paused"] == 3
    assert Connection.objects.get(pk=connection.pk).status == Connection.Status.REAUTH_REQUIRED
    assert {s.state for s in PollSchedule.objects.for_org(org_a)} == {PollSchedule.State.PAUSED}
    assert _poll(org_a, paused_at + dt.timedelta(hours=1)) == []  # still waiting for the employee
    connect_account(sandbox, advocate, "x", "alice")
    assert _totals(_poll(org_a, paused_at + dt.timedelta(hours=1)))["stored"] == 3
    assert not PollFailure.objects.for_org(org_a).exists()

    # Every difference was counted once: a rebuild from the snapshots gives the same rollups.
    incremental = rollup_rows(org_a)
    rollups_rebuild(organization=org_a)
    assert rollup_rows(org_a) == incremental


def test_comments_are_stored_once_and_scored(
    sandbox, org_a, advocate, django_capture_on_commit_callbacks
):
    connection = connect_account(sandbox, advocate, "bluesky", "bob.bsky.social")
    share = publish(connection, capture=django_capture_on_commit_callbacks)
    sandbox.control.advance(3 * 86400)
    now = timezone.now() + dt.timedelta(days=3)
    assert _totals(_poll(org_a, now))["stored"] == 1
    comments = Comment.objects.for_org(org_a).filter(share=share)
    assert comments.count() == Share.objects.get(pk=share.pk).comments > 0
    assert all(-1 <= c.sentiment <= 1 for c in comments)
    assert any(c.sentiment > 0.05 for c in comments)
    assert sum(r.sentiment_count for r in OrgDaily.objects.for_org(org_a)) == comments.count()
    # A day later the same comments come again, with more: only the new ones are added.
    before = comments.count()
    sandbox.control.advance(86400)
    _poll(org_a, now + dt.timedelta(days=1))
    assert Comment.objects.for_org(org_a).filter(share=share).count() >= before
    assert (
        sum(r.sentiment_count for r in OrgDaily.objects.for_org(org_a))
        == Comment.objects.for_org(org_a).count()
    )


def test_storing_the_same_poll_twice_counts_it_once(
    sandbox, org_a, advocate, django_capture_on_commit_callbacks
):
    connection = connect_account(sandbox, advocate, "x", "carol")
    share = publish(connection, capture=django_capture_on_commit_callbacks)
    schedule = PollSchedule.objects.for_org(org_a).get(share=share)
    reading = Reading(
        schedule,
        3,
        MetricsSnapshot(external_id=schedule.external_id, impressions=500, reactions=20),
    )
    now = timezone.now()
    assert snapshots_store(organization=org_a, readings=[reading], taken_at=now) == 1
    assert snapshots_store(organization=org_a, readings=[reading], taken_at=now) == 0
    assert sum(r.impressions for r in OrgDaily.objects.for_org(org_a)) == 500
    # The next slot reports fewer reactions (one withdrawn): the rollup follows the network.
    schedule.refresh_from_db()
    lower = Reading(
        schedule,
        4,
        MetricsSnapshot(external_id=schedule.external_id, impressions=650, reactions=19),
    )
    snapshots_store(organization=org_a, readings=[lower], taken_at=now)
    totals = OrgDaily.objects.for_org(org_a).get()
    assert (totals.impressions, totals.reactions) == (650, 19)
    assert Share.objects.get(pk=share.pk).reactions == 19


def test_repeated_faults_end_in_a_dead_letter_admins_can_retry(
    sandbox, org_a, advocate, django_capture_on_commit_callbacks
):
    connection = connect_account(sandbox, advocate, "linkedin", "dave")
    publish(connection, capture=django_capture_on_commit_callbacks)
    now = timezone.now() + dt.timedelta(minutes=20)
    sandbox.control.fault("linkedin", status=503, count=50)
    for attempt in range(1, MAX_FAILURES + 1):
        assert _totals(_poll(org_a, now))["failed"] == 1
        schedule = PollSchedule.objects.for_org(org_a).get()
        assert schedule.failures == attempt
        if attempt < MAX_FAILURES:
            assert schedule.next_poll_at > now  # backed off
            now = schedule.next_poll_at + dt.timedelta(seconds=1)
    assert schedule.state == PollSchedule.State.DEAD
    failure = PollFailure.objects.for_org(org_a).get()
    assert failure.attempts == MAX_FAILURES and "503" in failure.error
    assert _poll(org_a, now + dt.timedelta(days=1)) == []


def test_the_monthly_read_budget_postpones_what_it_cannot_pay_for(
    sandbox, org_a, advocate, django_capture_on_commit_callbacks
):
    AnalyticsSettings.objects.create(organization=org_a, read_budgets={"x": 2})
    connection = connect_account(sandbox, advocate, "x", "erin")
    for _ in range(3):
        publish(connection, capture=django_capture_on_commit_callbacks)
    now = timezone.now() + dt.timedelta(minutes=20)
    sandbox.control.advance(20 * 60)
    outcome = _totals(_poll(org_a, now))
    assert (outcome["stored"], outcome["postponed"]) == (2, 1)
    assert ReadUsage.objects.for_org(org_a).get(network="x").reads == 2
    waiting = PollSchedule.objects.for_org(org_a).filter(slot=0).get()
    local = timezone.localtime(waiting.next_poll_at, timezone=zoneinfo.ZoneInfo(org_a.timezone))
    assert (local.day, local.hour, local.minute) == (
        1,
        0,
        0,
    ) and local > now  # the first of next month
    # The budget is spent: the two read ones wait for next month too when they come due.
    sandbox.control.advance(30 * 60)
    outcome = _totals(_poll(org_a, now + dt.timedelta(minutes=30)))
    assert (outcome["stored"], outcome["postponed"]) == (0, 2)
    assert ReadUsage.objects.for_org(org_a).get(network="x").reads == 2


def test_slot_catches_up_with_one_read_after_a_pause():
    published = timezone.now()
    assert slot_due("linkedin", published, published + dt.timedelta(minutes=16), 0) == 0
    assert slot_due("linkedin", published, published + dt.timedelta(hours=6, minutes=1), 0) == 23


def test_the_beat_task_hands_due_batches_to_workers(
    sandbox, org_a, advocate, django_capture_on_commit_callbacks
):
    from analytics.tasks import poll_due

    connection = connect_account(sandbox, advocate, "x", "frank")
    publish(connection, capture=django_capture_on_commit_callbacks)
    PollSchedule.objects.for_org(org_a).update(
        next_poll_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert poll_due() == 1  # one batch; the eager worker ran it
    schedule = PollSchedule.objects.for_org(org_a).get()
    assert schedule.slot == 1 and schedule.last_polled_at is not None
    assert MetricSnapshot.objects.for_org(org_a).count() == 1


def test_a_share_posted_by_hand_is_counted_once_from_its_event_but_not_polled(
    org_a, advocate, django_capture_on_commit_callbacks
):
    from tests.analytics.factories import ShareFactory

    share = ShareFactory(
        organization=org_a,
        membership=advocate,
        channel="copy",
        status=Share.Status.SHARED_BY_HAND,
        published_at=timezone.now(),
        followers_at_share=120,
    )
    published = events.SharePublished(
        organization_id=org_a.pk,
        share_id=share.pk,
        membership_id=advocate.pk,
        network="copy",
        campaign_id=None,
        published_at=share.published_at,
    )
    for _delivery in range(2):  # the event delivered twice
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(published)
    day = OrgDaily.objects.for_org(org_a).get()
    assert (day.shares, day.potential_reach) == (1, 120)
    schedule = PollSchedule.objects.for_org(org_a).get(share=share)
    assert schedule.state == PollSchedule.State.NOT_POLLED and schedule.next_poll_at is None
