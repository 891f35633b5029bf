"""The click flusher: bots flagged, one unique click per visitor and hour, every click
stored exactly once, counters and rollups moved with the rows, trimmed only after commit."""

from __future__ import annotations

import pytest

from advocacy import events
from analytics.clicks import journal
from analytics.clicks.flush import flush_click_stream, stream_status
from analytics.clicks.stream import click_stream
from analytics.models import ClickEvent, OrgDaily
from campaigns.models import Share

from .conftest import stream_entries

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 [LinkedInApp]"


@pytest.fixture
def counted_events():
    seen: list[events.ClicksCounted] = []
    handler = events.subscribe(events.ClicksCounted)(seen.append)
    yield seen
    events._handlers[events.ClicksCounted].remove(handler)


def _clicks(share_id: int) -> int:
    return Share.objects.get(pk=share_id).clicks


def test_a_flood_from_one_visitor_is_all_stored_but_counted_once_per_hour(
    wsgi, click_redis, link_a, counted_events
):
    for _ in range(40):
        assert wsgi(f"/r/{link_a.code}", ip="198.51.100.9", user_agent=PHONE).status_code == 302
    assert flush_click_stream() == 40
    rows = ClickEvent.objects.for_org(link_a.organization)
    assert rows.count() == 40
    assert rows.filter(is_unique=True).count() == 1
    assert _clicks(link_a.share_id) == 1
    assert [(s.share_id, s.clicks_added) for e in counted_events for s in e.shares] == [
        (link_a.share_id, 1)
    ]
    # the same visitor in the same hour, in a later batch: still not a new unique click
    wsgi(f"/r/{link_a.code}", ip="198.51.100.9", user_agent=PHONE)
    assert flush_click_stream() == 1
    assert _clicks(link_a.share_id) == 1
    assert stream_status() == {"waiting": 0}
    assert click_redis.xlen(click_stream()) == 0  # acknowledged entries are deleted


def test_bots_and_link_previews_are_stored_flagged_and_never_counted(
    wsgi, click_redis, link_a, counted_events
):
    previews = [
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0 A",
        "",
    ]
    for index, user_agent in enumerate(previews):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}", user_agent=user_agent)
    wsgi(f"/r/{link_a.code}", ip="198.51.100.200", user_agent=PHONE)  # a person in LinkedIn's app
    assert flush_click_stream() == len(previews) + 1
    rows = ClickEvent.objects.for_org(link_a.organization)
    assert rows.filter(is_bot=True).count() == len(previews)
    assert rows.filter(is_bot=True, is_unique=True).count() == 0
    assert rows.get(is_bot=False).is_unique
    assert _clicks(link_a.share_id) == 1
    assert sum(s.clicks_added for e in counted_events for s in e.shares) == 1


def test_killed_after_commit_before_trim_the_batch_comes_again_and_counts_nothing_twice(
    wsgi, click_redis, link_a, monkeypatch
):
    monkeypatch.setattr(journal, "ENTRY_CLICKS", 1)  # one stream entry a click
    for index in range(12):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    assert len(stream_entries(click_redis)) == 12  # shipped from the journal

    def die_after_commit(stage, batch_number):
        if stage == "committed":
            raise SystemExit("worker lost")

    with pytest.raises(SystemExit):
        flush_click_stream(batch_size=5, on_stage=die_after_commit)
    assert ClickEvent.objects.count() == 5  # the first batch is committed...
    assert stream_status() == {"waiting": 12}  # ...but not trimmed from the stream
    assert flush_click_stream(batch_size=5) == 7  # the stored five come again and store nothing new
    assert ClickEvent.objects.count() == 12
    assert _clicks(link_a.share_id) == 12
    assert stream_status() == {"waiting": 0}


def test_killed_before_commit_nothing_is_lost(wsgi, click_redis, link_a, monkeypatch):
    monkeypatch.setattr(journal, "ENTRY_CLICKS", 1)  # one stream entry a click
    for index in range(8):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    assert len(stream_entries(click_redis)) == 8  # shipped from the journal

    def die_after_read(stage, batch_number):
        if stage == "read":
            raise SystemExit("worker lost")

    with pytest.raises(SystemExit):
        flush_click_stream(batch_size=3, on_stage=die_after_read)
    assert ClickEvent.objects.count() == 0
    assert stream_status() == {"waiting": 8}  # the read batch is still at the head
    assert flush_click_stream(batch_size=3) == 8
    assert _clicks(link_a.share_id) == 8


def test_two_organizations_clicks_stay_apart(wsgi, click_redis, link_a, link_b):
    for index in range(3):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    wsgi(f"/r/{link_b.code}", ip="198.51.100.1")
    assert flush_click_stream() == 4
    a_rows = ClickEvent.objects.for_org(link_a.organization)
    b_rows = ClickEvent.objects.for_org(link_b.organization)
    assert set(a_rows.values_list("share_id", flat=True)) == {link_a.share_id}
    assert set(b_rows.values_list("share_id", flat=True)) == {link_b.share_id}
    assert (a_rows.count(), b_rows.count()) == (3, 1)
    assert (_clicks(link_a.share_id), _clicks(link_b.share_id)) == (3, 1)
    assert OrgDaily.objects.for_org(link_b.organization).get().clicks == 1


def test_flush_refuses_to_run_inside_a_transaction(click_redis):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(RuntimeError):
        flush_click_stream()


def test_flush_without_redis_has_nothing_to_do(no_redis):
    assert flush_click_stream() == 0


def test_entries_written_before_the_one_field_form_are_still_stored(click_redis, link_a, wsgi):
    """A stream left by the previous release (eleven one-letter fields per entry) drains
    after an upgrade; an entry that is not a click is dropped, not a crash; a user agent
    carrying the entry's separator cannot shift the fields."""
    share = link_a.share
    click_redis.xadd(
        click_stream(),
        {
            "c": "legacy-1",
            "o": str(link_a.organization_id),
            "l": str(link_a.pk),
            "s": str(share.pk),
            "m": str(share.membership_id),
            "k": "",
            "t": "1767225600000",
            "v": "a" * 32,
            "r": "",
            "g": "",
            "u": PHONE,
        },
    )
    click_redis.xadd(click_stream(), {"x": "not a click"})
    wsgi(f"/r/{link_a.code}", ip="198.51.100.7", user_agent="Mozilla/5.0\x1f1\x1f2 (X11)")
    assert flush_click_stream() == 2
    rows = ClickEvent.objects.for_org(link_a.organization)
    assert rows.count() == 2 and rows.filter(click_id="legacy-1", is_unique=True).exists()
    assert rows.filter(is_bot=False).count() == 2
    assert stream_status() == {"waiting": 0}


def test_entries_whose_numbers_are_not_numbers_are_dropped_and_the_batch_stored(
    click_redis, link_a, wsgi
):
    """What an attacker with write access to the stream, or a bug, could leave there:
    ids that are words or too large for the database, a time out of range, NUL bytes and
    invalid UTF-8. Each such entry is dropped; every real click of the batch is stored."""
    share = link_a.share
    good = [
        str(link_a.organization_id),
        str(link_a.pk),
        str(share.pk),
        str(share.membership_id),
        "",
        "1767225600000",
        "b" * 32,
        "",
        "",
    ]

    def entry(click_id, u=PHONE, **changes):
        fields = dict(zip("olsmktvrg", good, strict=True)) | changes
        return {"x": "\x1f".join([click_id, *(fields[name] for name in "olsmktvrg"), u])}

    for bad in (
        entry("bad-word", l="seven"),
        entry("bad-huge", s="9" * 30),
        entry("bad-time", t="9" * 17),
    ):
        click_redis.xadd(click_stream(), bad)
    click_redis.xadd(click_stream(), entry("ok-nul", u="Mozilla/5.0 \x00(X11)"))
    packed = "\x1f".join(["ok-utf8", *good, ""]).encode() + b"Mozilla/5.0 \xff\xfe"
    click_redis.xadd(click_stream(), {"x": packed})
    wsgi(f"/r/{link_a.code}", ip="198.51.100.8", user_agent=PHONE)
    assert flush_click_stream() == 3
    stored = set(ClickEvent.objects.for_org(link_a.organization).values_list("click_id", flat=True))
    assert {"ok-nul", "ok-utf8"} < stored and len(stored) == 3
    assert not any(click_id.startswith("bad-") for click_id in stored)
    assert stream_status() == {"waiting": 0}
