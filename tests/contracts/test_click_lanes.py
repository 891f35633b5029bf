"""A large batch is stored in lanes (analytics/clicks/lanes.py): one database connection
each, in parallel, split by share. What advocates and managers rely on must not change:
every click stored once, one unique click per visitor and hour, each share's counter and
click points right, a self-click burst still held, and a lane that fails loses nothing
and counts nothing twice. `LANE_MIN` is lowered so a handful of clicks take the lanes."""

from __future__ import annotations

import pytest
from django.db import connection

from advocacy import events
from analytics.clicks import lanes
from analytics.clicks.flush import flush_click_stream, stream_status
from analytics.clicks.journal import journal_ship
from analytics.clicks.stream import click_stream
from analytics.models import ClickEvent, OrgDaily
from campaigns.models import Share
from recognition.models import Cause, EntryStatus, GamingFlag, PointEntry
from recognition.services import settings_update
from tests.analytics.factories import tracked_link_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def lanes_for_small_batches(monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("lanes are PostgreSQL's (SQLite has one writer; CI sets DATABASE_URL)")
    monkeypatch.setattr(lanes, "LANE_MIN", 1)
    settings.CHORUS_CLICK_FLUSH_LANES = 2


@pytest.fixture
def published(monkeypatch):
    """The ClicksCounted and SelfClicksDetected events the flush published (the real
    subscribers still run)."""
    seen: list = []
    for kind in (events.ClicksCounted, events.SelfClicksDetected):
        monkeypatch.setitem(events._handlers, kind, [*events.subscribers(kind), seen.append])
    return seen


def _visit(wsgi, link, people: range, *, ip: str = "198.51.100.{}") -> None:
    for person in people:
        assert wsgi(f"/r/{link.code}", ip=ip.format(person)).status_code == 302


def _ledger(share_id: int) -> int:
    return sum(
        PointEntry.objects.filter(cause=Cause.CLICKS, reference_id=share_id).values_list(
            "quantity", flat=True
        )
    )


def test_a_batch_in_lanes_counts_every_share_once_and_in_one_event(
    wsgi, click_redis, org_a, published
):
    links = [tracked_link_for(org_a) for _ in range(6)]
    for number, link in enumerate(links):
        _visit(wsgi, link, range(number + 1))
        _visit(wsgi, link, range(number + 1))  # the same people again, the same hour
    assert flush_click_stream() == 2 * sum(range(1, 7))

    counted = [e for e in published if isinstance(e, events.ClicksCounted)]
    assert len(counted) == 2  # one per lane: each share went one way
    in_events = [(s.share_id, s.clicks_added) for e in counted for s in e.shares]
    assert sorted(in_events) == sorted((link.share_id, n + 1) for n, link in enumerate(links))
    for number, link in enumerate(links):
        assert Share.objects.get(pk=link.share_id).clicks == number + 1
        assert _ledger(link.share_id) == number + 1
    rows = ClickEvent.objects.for_org(org_a)
    assert rows.count() == 42 and rows.filter(is_unique=True).count() == 21
    assert OrgDaily.objects.for_org(org_a).get().clicks == 42  # both lanes added to one row


def test_a_self_click_burst_is_held_when_its_batch_goes_in_lanes(
    wsgi, click_redis, org_a, published
):
    own, other = tracked_link_for(org_a), tracked_link_for(org_a)
    settings_update(organization=org_a, clicks_per_milestone=10, points_per_click_milestone=5)
    _visit(wsgi, own, range(10))
    _visit(wsgi, other, range(3))
    for _ in range(6):  # the advocate's own phone, again and again
        wsgi(f"/r/{own.code}", ip="203.0.113.99")
    flush_click_stream()
    [burst] = [e for e in published if isinstance(e, events.SelfClicksDetected)]
    assert (burst.share_id, burst.same_visitor_clicks) == (own.share_id, 6)
    flag = GamingFlag.objects.get(kind=GamingFlag.Kind.SELF_CLICKS)
    assert flag.reference_id == own.share_id
    held = PointEntry.objects.filter(cause=Cause.CLICKS, reference_id=own.share_id)
    assert set(held.values_list("status", flat=True)) == {EntryStatus.HELD}


def test_a_lane_that_fails_leaves_the_batch_for_the_next_flush_which_counts_it_once(
    wsgi, click_redis, org_a, monkeypatch
):
    links = [tracked_link_for(org_a) for _ in range(4)]
    for link in links:
        _visit(wsgi, link, range(5))
    assert journal_ship(click_redis, click_stream()) == 20  # in the stream, as in production
    store = lanes._store

    def second_lane_fails(values, reason):
        if reason.endswith("(lane 2)"):
            raise ConnectionError("the database went away")
        return store(values, reason)

    monkeypatch.setattr(lanes, "_store", second_lane_fails)
    with pytest.raises(ConnectionError):
        flush_click_stream()
    first_lane = ClickEvent.objects.for_org(org_a).count()
    assert 0 < first_lane < 20  # one lane committed, the other did not
    assert stream_status() == {"waiting": 20}  # nothing trimmed

    monkeypatch.setattr(lanes, "_store", store)
    assert flush_click_stream() == 20 - first_lane
    assert ClickEvent.objects.for_org(org_a).count() == 20
    for link in links:
        assert Share.objects.get(pk=link.share_id).clicks == 5
        assert _ledger(link.share_id) == 5
    assert stream_status() == {"waiting": 0}
