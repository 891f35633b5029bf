"""Clicks into points: the real redirect appends to the stream, the real flush publishes
one `ClicksCounted` per organization per batch, recognition awards click points on the
running total. Later batches add up (they used to be ignored), a batch delivered twice
counts once, a self-click burst holds the points, and the recount repairs old data."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from advocacy import events
from analytics.clicks.flush import flush_click_stream
from campaigns.models import Share
from recognition.models import Cause, EntryStatus, GamingFlag, PointEntry
from recognition.selectors import balance_get
from recognition.services import settings_update

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counted(monkeypatch):
    """The ClicksCounted events the flush published (the real subscribers still run)."""
    seen: list[events.ClicksCounted] = []
    monkeypatch.setitem(
        events._handlers,
        events.ClicksCounted,
        [*events.subscribers(events.ClicksCounted), seen.append],
    )
    return seen


def _visit(wsgi, link, people: range) -> None:
    for person in people:
        assert wsgi(f"/r/{link.code}", ip=f"198.51.100.{person}").status_code == 302


def _ledger(share_id: int) -> tuple[int, int]:
    entries = PointEntry.objects.filter(cause=Cause.CLICKS, reference_id=share_id)
    return sum(e.quantity for e in entries), sum(e.points for e in entries)


def test_every_flush_batch_adds_its_clicks_to_the_advocates_points(
    wsgi, click_redis, link_a, counted
):
    organization = link_a.organization
    settings_update(
        organization=organization, clicks_per_milestone=10, points_per_click_milestone=5
    )
    _visit(wsgi, link_a, range(0, 7))
    flush_click_stream()
    _visit(wsgi, link_a, range(7, 12))
    flush_click_stream()
    _visit(wsgi, link_a, range(12, 21))
    flush_click_stream()
    assert Share.objects.get(pk=link_a.share_id).clicks == 21
    assert _ledger(link_a.share_id) == (21, 10)  # two milestones of ten clicks
    membership = link_a.share.membership
    assert balance_get(organization=organization, membership=membership) == 10
    assert [[(s.share_id, s.clicks_added) for s in e.shares] for e in counted] == [
        [(link_a.share_id, 7)],
        [(link_a.share_id, 5)],
        [(link_a.share_id, 9)],
    ]


def test_a_batch_delivered_twice_counts_once(wsgi, click_redis, link_a, counted):
    _visit(wsgi, link_a, range(0, 12))
    flush_click_stream()
    before = list(PointEntry.objects.values_list("id", "quantity", "points"))
    events.publish(counted[0])  # the broker hands recognition the same batch again
    assert list(PointEntry.objects.values_list("id", "quantity", "points")) == before
    assert _ledger(link_a.share_id) == (12, 5)


def test_one_batch_is_one_event_per_organization_with_every_share_it_touched(
    wsgi, click_redis, link_a, link_b, counted
):
    from tests.analytics.factories import tracked_link_for

    second_a = tracked_link_for(link_a.organization)
    _visit(wsgi, link_a, range(0, 3))
    _visit(wsgi, second_a, range(0, 2))
    _visit(wsgi, link_b, range(0, 4))
    flush_click_stream()
    by_org = {e.organization_id: {(s.share_id, s.clicks_added) for s in e.shares} for e in counted}
    assert by_org == {
        link_a.organization_id: {(link_a.share_id, 3), (second_a.share_id, 2)},
        link_b.organization_id: {(link_b.share_id, 4)},
    }
    assert _ledger(link_b.share_id) == (4, 0)
    assert (
        PointEntry.objects.get(reference_id=link_b.share_id).organization_id
        == link_b.organization_id
    )


def test_a_self_click_burst_holds_the_click_points_for_review(
    wsgi, click_redis, link_a, monkeypatch
):
    bursts: list[events.SelfClicksDetected] = []
    subscribed = [*events.subscribers(events.SelfClicksDetected), bursts.append]
    monkeypatch.setitem(events._handlers, events.SelfClicksDetected, subscribed)
    _visit(wsgi, link_a, range(0, 10))  # ten people: one milestone
    for _ in range(6):  # and the advocate's own phone, again and again
        wsgi(f"/r/{link_a.code}", ip="203.0.113.99")
    flush_click_stream()
    flag = GamingFlag.objects.get(kind=GamingFlag.Kind.SELF_CLICKS)
    assert (flag.membership_id, flag.reference_id) == (link_a.share.membership_id, link_a.share_id)
    statuses = set(PointEntry.objects.filter(cause=Cause.CLICKS).values_list("status", flat=True))
    assert statuses == {EntryStatus.HELD}
    assert balance_get(organization=link_a.organization, membership=link_a.share.membership) == 0
    events.publish(bursts[0])  # the same burst reported again
    assert GamingFlag.objects.count() == 1
    assert balance_get(organization=link_a.organization, membership=link_a.share.membership) == 0


def test_the_recount_appends_the_click_points_old_batches_lost_and_a_second_run_nothing(
    wsgi, click_redis, link_a
):
    organization = link_a.organization
    _visit(wsgi, link_a, range(0, 4))
    flush_click_stream()
    # What the ledger looked like before the fix: the later batches were ignored.
    Share.objects.filter(pk=link_a.share_id).update(clicks=23)
    assert _ledger(link_a.share_id) == (4, 0)

    call_command("recount_click_points", organization=organization.slug)
    assert _ledger(link_a.share_id) == (23, 10)
    ledger = list(PointEntry.objects.order_by("id").values_list("id", "quantity", "points"))
    call_command("recount_click_points")
    assert list(PointEntry.objects.order_by("id").values_list("id", "quantity", "points")) == ledger
