"""The click journal and its shipper (analytics/clicks/journal.py).

Every /r/ click is one line appended to its web process's journal; the process's
shipper thread sends new lines to the Redis stream in batches, and the flusher on
the same machine stores whatever is left. Asserted here as a visitor and an
operator rely on it: a click reaches the stream without anyone flushing, a ship cut
short sends clicks again but they count once, a dead worker's journal is sent by
another process and removed, two readers never read one journal at once, and a
journal written by the previous release (JSON lines) is still stored.
"""

from __future__ import annotations

import fcntl
import json
import socket
import subprocess
import sys
import time

import pytest

from analytics.clicks import journal
from analytics.clicks.flush import flush_click_stream, stream_status
from analytics.clicks.journal import journal_dir, journal_ship, stop_shipper
from analytics.clicks.stream import click_stream
from analytics.models import ClickEvent
from campaigns.models import Share

pytestmark = pytest.mark.django_db(transaction=True)

# Waiting is not timing: this only stops a broken shipper from hanging the run.
SHIPPED_WITHIN = 30.0


def _journals():
    return sorted(journal_dir().glob("*.clicks"))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_shipper_thread_sends_the_processes_clicks_to_the_stream_without_a_flush(
    wsgi, click_redis, settings, link_a
):
    settings.CHORUS_CLICK_SHIP_SECONDS = 0.05
    try:
        for index in range(5):
            assert wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}").status_code == 302
        give_up = time.monotonic() + SHIPPED_WITHIN
        while stream_status()["waiting"] < 5 and time.monotonic() < give_up:
            time.sleep(0.05)
    finally:
        stop_shipper()
    assert stream_status() == {"waiting": 5}
    assert flush_click_stream() == 5
    assert Share.objects.get(pk=link_a.share_id).clicks == 5


def test_a_ship_cut_short_sends_the_clicks_again_and_they_count_once(wsgi, click_redis, link_a):
    for index in range(4):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    [journal] = _journals()
    assert journal_ship(click_redis, click_stream()) == 4
    # The shipper was killed after Redis took the lines, before the offset moved on.
    journal.with_suffix(".offset").unlink()
    assert journal_ship(click_redis, click_stream()) == 4
    assert stream_status() == {"waiting": 8}
    assert flush_click_stream() == 4
    assert ClickEvent.objects.for_org(link_a.organization).count() == 4
    assert Share.objects.get(pk=link_a.share_id).clicks == 4


def test_a_dead_workers_journal_is_shipped_by_another_process_and_removed(
    wsgi, click_redis, link_a
):
    for index in range(3):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    [own] = _journals()
    orphan = own.with_name(f"{socket.gethostname()}-{_dead_pid()}.clicks")
    own.rename(orphan)  # as a gunicorn worker leaves its file when it is killed
    assert journal_ship(click_redis, click_stream(), orphans=False) == 0  # only its own
    assert journal_ship(click_redis, click_stream()) == 3
    assert not orphan.exists() and not orphan.with_suffix(".offset").exists()
    assert flush_click_stream() == 3


def test_a_live_workers_journal_is_its_own_shippers(wsgi, click_redis, link_a):
    wsgi(f"/r/{link_a.code}")
    [own] = _journals()
    sibling = own.with_name(f"{socket.gethostname()}-1.clicks")  # pid 1 is always alive
    own.rename(sibling)
    assert journal_ship(click_redis, click_stream()) == 0
    assert sibling.exists()
    assert flush_click_stream() == 1  # the flusher on its machine stores it all the same


def test_one_journal_has_one_reader_at_a_time(wsgi, click_redis, link_a):
    for index in range(2):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    [journal] = _journals()
    with open(journal, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the flusher is reading it
        assert journal_ship(click_redis, click_stream()) == 0
        assert stream_status() == {"waiting": 0}
    assert journal_ship(click_redis, click_stream()) == 2


def test_a_journal_of_the_previous_release_is_still_stored(click_redis, link_a):
    folder = journal_dir()
    folder.mkdir(parents=True)
    line = {
        "c": "OldReleaseClick0",
        "o": link_a.organization_id,
        "l": link_a.pk,
        "s": link_a.share_id,
        "m": link_a.share.membership_id,
        "k": "",
        "t": int(time.time() * 1000),
        "v": "a" * 32,
        "r": "",
        "g": "",
        "u": "Mozilla/5.0 (iPhone)",
    }
    path = folder / f"{socket.gethostname()}-{_dead_pid()}.clicks"
    path.write_text(json.dumps(line) + "\n" + "{not a click\n")
    assert flush_click_stream() == 1
    assert ClickEvent.objects.for_org(link_a.organization).get().click_id == "OldReleaseClick0"
    assert not path.exists()


def test_when_the_journal_cannot_be_written_the_click_goes_to_redis_directly(
    wsgi, click_redis, settings, tmp_path, link_a
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the journal's folder should be")
    settings.CHORUS_CLICK_JOURNAL_DIR = str(blocked)
    response = wsgi(f"/r/{link_a.code}")
    assert response.status_code == 302
    assert stream_status() == {"waiting": 1}
    assert flush_click_stream() == 1
    stored = ClickEvent.objects.for_org(link_a.organization).get()
    assert stored.click_id in response.headers["Location"]


def test_a_journal_grown_through_an_outage_is_read_in_pieces(
    wsgi, click_redis, monkeypatch, link_a
):
    monkeypatch.setattr(journal, "READ_BYTES", 600)  # a few clicks a piece
    monkeypatch.setattr(journal, "SHIP_CHUNKS", 2)
    for index in range(30):
        wsgi(f"/r/{link_a.code}", ip=f"198.51.100.{index}")
    first_round = journal_ship(click_redis, click_stream())
    assert 0 < first_round < 30  # a round sends two pieces, not the whole file
    while journal_ship(click_redis, click_stream()):
        pass
    assert stream_status() == {"waiting": 30}
    assert flush_click_stream() == 30
    assert Share.objects.get(pk=link_a.share_id).clicks == 30
