"""GET /r/<code>: 302 at once with a click id, the click in the stream, no database write."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import redis as redis_lib

from analytics.clicks.flush import flush_click_stream
from analytics.clicks.stream import hot_breaker
from analytics.models import ClickEvent
from campaigns.links import tracked_link_set_active
from campaigns.models import Share, TrackedLink

from .conftest import stream_entries

pytestmark = pytest.mark.django_db


def _click_id(location: str) -> str:
    return parse_qs(urlsplit(location).query)["chorus_click"][0]


def test_known_code_redirects_to_the_stored_target_with_a_click_id(wsgi, click_redis, link_a):
    response = wsgi(f"/r/{link_a.code}", referer="https://www.linkedin.com/feed/?trk=abc")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(link_a.target_url + "&chorus_click=")
    assert response.headers["Cache-Control"] == "no-store"
    click_id = _click_id(location)
    assert len(click_id) == 16
    [entry] = stream_entries(click_redis)
    assert entry["c"] == click_id
    assert (int(entry["o"]), int(entry["l"]), int(entry["s"])) == (
        link_a.organization_id,
        link_a.pk,
        link_a.share_id,
    )
    assert entry["r"] == "https://www.linkedin.com/feed/"  # query strings of referrers are not kept
    assert "203.0.113.7" not in str(entry)  # the address is hashed, never stored
    assert len(entry["v"]) == 32


def test_every_click_gets_its_own_unguessable_id(wsgi, click_redis, link_a):
    ids = {_click_id(wsgi(f"/r/{link_a.code}").headers["Location"]) for _ in range(20)}
    assert len(ids) == 20
    assert len(stream_entries(click_redis)) == 20


def test_a_warm_click_touches_no_database_at_all(
    wsgi, client, click_redis, link_a, django_assert_num_queries
):
    wsgi(f"/r/{link_a.code}")  # warms this process
    with django_assert_num_queries(0):
        assert wsgi(f"/r/{link_a.code}").status_code == 302
        assert client.get(f"/r/{link_a.code}").status_code == 302  # the same through Django
    assert len(stream_entries(click_redis)) == 3
    assert ClickEvent.objects.count() == 0


def test_a_cold_process_resolves_from_redis_without_the_database(
    wsgi, click_redis, link_a, django_assert_num_queries
):
    from analytics.clicks import linkcache

    wsgi(f"/r/{link_a.code}")
    linkcache.clear_local()  # another gunicorn worker: empty memory, shared Redis
    with django_assert_num_queries(0):
        assert wsgi(f"/r/{link_a.code}").status_code == 302


def test_the_visitor_hash_is_stable_within_a_day_and_differs_between_visitors(
    wsgi, click_redis, link_a
):
    wsgi(f"/r/{link_a.code}", ip="198.51.100.1")
    wsgi(f"/r/{link_a.code}", ip="198.51.100.1")
    wsgi(f"/r/{link_a.code}", ip="198.51.100.2")
    hashes = [entry["v"] for entry in stream_entries(click_redis)]
    assert hashes[0] == hashes[1] != hashes[2]


@pytest.mark.parametrize("via", ["dispatcher", "django"])
def test_unknown_code_is_a_friendly_404(via, wsgi, client, click_redis):
    if via == "dispatcher":
        response = wsgi("/r/NoSuchCode42")
        status, body = response.status_code, response.body.decode()
    else:
        response = client.get("/r/NoSuchCode42")
        status, body = response.status_code, response.content.decode()
    assert status == 404
    assert "This link does not lead anywhere" in body
    assert "Location" not in getattr(response, "headers", {})
    assert stream_entries(click_redis) == []


def test_the_404_page_speaks_the_visitors_language(client, click_redis):
    response = client.get("/r/NoSuchCode42", headers={"accept-language": "id"})
    assert response.status_code == 404
    assert "Tautan ini tidak mengarah ke mana pun" in response.content.decode()


ODD_PATHS = [
    "/r/",
    "/r/abc",  # too short to be a code
    "/r/" + "A" * 33,
    "/r/" + "A" * 100_000,
    "/r/abc%20def1",
    "/r/abc def12",
    "/r/../../etc/passwd",
    "/r/<script>alert(1)</script>",
    "/r/abcDEF123/extra",
    "/r/ÄbcDEF1234",
    "/r/abcDEF123?next=https://evil.example",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_or_huge_codes_are_404_without_touching_redis_or_the_database(
    path, wsgi, click_redis, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = wsgi(path)
    assert response.status_code == 404
    assert not click_redis.exists(f"chorus:link:{path[3:]}")  # not even a negative cache entry
    assert stream_entries(click_redis) == []


def test_never_redirects_to_a_target_that_is_not_a_web_page(wsgi, click_redis, org_a):
    from .factories import ShareFactory

    share = ShareFactory(organization=org_a)
    code = "Js" + uuid.uuid4().hex[:9]
    TrackedLink.objects.create(
        organization=org_a, share=share, code=code, target_url="javascript:alert(1)"
    )
    assert wsgi(f"/r/{code}").status_code == 404
    assert stream_entries(click_redis) == []


def test_a_switched_off_link_stops_redirecting_at_once(
    wsgi, click_redis, link_a, django_capture_on_commit_callbacks
):
    assert wsgi(f"/r/{link_a.code}").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        tracked_link_set_active(
            organization=link_a.organization, link_id=link_a.pk, is_active=False
        )
    assert wsgi(f"/r/{link_a.code}").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        tracked_link_set_active(organization=link_a.organization, link_id=link_a.pk, is_active=True)
    assert wsgi(f"/r/{link_a.code}").status_code == 302


def test_links_of_a_deactivated_organization_do_not_redirect(wsgi, click_redis, link_a):
    link_a.organization.is_active = False
    link_a.organization.save()
    assert wsgi(f"/r/{link_a.code}").status_code == 404


def test_head_requests_redirect_without_counting_a_click(wsgi, click_redis, link_a):
    response = wsgi(f"/r/{link_a.code}", method="HEAD")
    assert response.status_code == 302
    assert stream_entries(click_redis) == []


def test_without_redis_the_click_is_stored_directly(wsgi, client, no_redis, link_a):
    assert wsgi(f"/r/{link_a.code}").status_code == 302
    assert (
        client.get(f"/r/{link_a.code}", headers={"user-agent": "Mozilla/5.0 (Android)"}).status_code
        == 302
    )
    clicks = ClickEvent.objects.for_org(link_a.organization)
    assert clicks.count() == 2
    assert clicks.filter(is_unique=True).count() == 2  # two different visitors
    assert Share.objects.get(pk=link_a.share_id).clicks == 2


@pytest.mark.django_db(transaction=True)
def test_when_redis_is_down_the_click_waits_in_the_journal_for_the_next_flush(
    wsgi, settings, tmp_path, link_a
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CHORUS_CLICK_JOURNAL_DIR = str(tmp_path)
    hot_breaker.close()
    response = wsgi(f"/r/{link_a.code}")
    assert response.status_code == 302
    assert not ClickEvent.objects.exists()  # nothing written to the database in the request
    assert flush_click_stream() == 1
    stored = ClickEvent.objects.for_org(link_a.organization).get()
    assert stored.click_id == _click_id(response.headers["Location"])
    assert flush_click_stream() == 0  # drained: the journal is not read twice
    hot_breaker.close()


def test_redis_client_errors_are_what_the_fallback_catches():
    # The fallback above relies on connection failures being RedisError.
    assert issubclass(redis_lib.exceptions.ConnectionError, redis_lib.exceptions.RedisError)
