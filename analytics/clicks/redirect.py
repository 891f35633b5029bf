"""GET /r/<code>: the public hot path.

`ShortLinkDispatcher` wraps the Django WSGI application (advocacy/wsgi.py) and
answers a known code itself, ahead of Django's middleware stack: look the code
up (linkcache: process memory, then Redis, then the database), append the click
to this process's journal (one `write()`, journal.py), answer 302 to the stored
target with a click id appended for conversion attribution. Nothing is written to
the database and nothing waits on Redis for a click: the process's shipper thread
sends the journal's lines to the Redis stream in batches, and the flusher stores
them in batches (flush.py).

Everything else, including unknown codes, goes on to Django, which renders the
friendly 404 page in the visitor's language (analytics.views.short_link). The
same view serves /r/ when Django is reached directly (runserver without this
wrapper, the test client), through the same `short_link_location`.

A code is only ever looked up if it has the shape of one (letters and digits,
bounded length), so odd or huge paths cost neither Redis nor the database.
Without Redis (empty REDIS_URL) the click is stored directly (one laptop); if
that fails, it waits in the journal for the flusher.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from advocacy.tenancy.context import system_context
from analytics.clicks import linkcache
from analytics.clicks.journal import journal_append
from analytics.clicks.record import Click, clicks_record, stream_value
from analytics.clicks.stream import HotPathUnavailable, click_stream, hot_call
from analytics.clicks.visitors import clean_referer, client_ip, country_of, visitor_hash

log = logging.getLogger(__name__)

PREFIX = "/r/"
CODE = re.compile(r"[A-Za-z0-9]{4,32}")
NOT_FOUND = "chorus.short_link_not_found"  # environ flag: the dispatcher already looked
UNAVAILABLE = "chorus.short_link_unavailable"  # environ flag: the database could not answer


class LinkLookupUnavailable(Exception):
    """The code is not cached and the database cannot be asked: a 503, never a 500."""


_HEADERS = [("Cache-Control", "no-store"), ("Content-Length", "0")]


def code_from_path(path: str) -> str | None:
    code = path[len(PREFIX) :]
    if code.endswith("/"):
        code = code[:-1]
    return code if CODE.fullmatch(code) else None


def new_click_id() -> str:
    return secrets.token_urlsafe(12)  # 96 random bits, 16 URL-safe characters


class _DatabaseOutsideRequest:
    """Django opens and closes connections per request; outside a request (the
    dispatcher) we do it ourselves, so a broken connection is never reused."""

    def __enter__(self):
        if not connection.in_atomic_block:
            close_old_connections()

    def __exit__(self, *exc):
        if not connection.in_atomic_block:
            close_old_connections()


def _resolve(code: str, *, in_django: bool) -> linkcache.ResolvedLink | None:
    if in_django:
        return linkcache.resolve(code)
    found, link = linkcache.peek(code)
    if found:
        return link
    with _DatabaseOutsideRequest():
        return linkcache.resolve(code)


def _record(link: linkcache.ResolvedLink, click_id: str, environ, *, in_django: bool) -> None:
    ip = client_ip(environ)
    user_agent = environ.get("HTTP_USER_AGENT", "")[:256]
    now = time.time()
    day = time.strftime("%Y-%m-%d", time.gmtime(now))
    fields = {
        "c": click_id,
        "o": link.organization_id,
        "l": link.link_id,
        "s": link.share_id,
        "m": link.membership_id,
        "k": "" if link.campaign_id is None else link.campaign_id,
        "t": int(now * 1000),
        "v": visitor_hash(ip=ip, user_agent=user_agent, day=day),
        "r": clean_referer(environ.get("HTTP_REFERER", "")),
        "g": country_of(ip),
        "u": user_agent,
    }
    if settings.REDIS_URL:
        # The journal, shipped to the Redis stream by this process's shipper thread.
        value = stream_value(fields)
        try:
            journal_append(value, ship=settings.CHORUS_CLICK_SHIP_SECONDS > 0)
        except OSError:  # the disk is full or the folder not writable: the stream directly
            log.error("the click journal cannot be written; sending the click to Redis")
            try:
                hot_call("xadd", click_stream(), {"x": value})
            except HotPathUnavailable:
                log.error("click %s lost: neither the journal nor Redis took it", click_id)
        return
    try:
        _store_now(link, click_id, now, fields, user_agent, in_django=in_django)
    except Exception:  # whatever fails after the 302 was decided, the visitor still gets it
        log.warning("storing a click directly failed; kept in the journal", exc_info=True)
        journal_append(stream_value(fields))


def _store_now(link, click_id: str, now: float, fields, user_agent: str, *, in_django: bool):
    """No Redis configured (one laptop): store the click now, through the flusher's code."""
    click = Click(
        click_id=click_id,
        organization_id=link.organization_id,
        link_id=link.link_id,
        share_id=link.share_id,
        membership_id=link.membership_id,
        campaign_id=link.campaign_id,
        clicked_at=datetime.fromtimestamp(now, tz=UTC),
        visitor_hash=fields["v"],
        referer=fields["r"],
        country=fields["g"],
        user_agent=user_agent,
    )
    if in_django:
        with system_context("store a click directly"):
            clicks_record([click])
    else:
        with _DatabaseOutsideRequest(), system_context("store a click directly"):
            clicks_record([click])


def short_link_location(environ, *, in_django: bool = False) -> str | None:
    """Where /r/<code> sends this visitor (the click is recorded), or None for a 404."""
    code = code_from_path(environ.get("PATH_INFO", ""))
    if code is None:
        return None
    try:
        link = _resolve(code, in_django=in_django)
    except DatabaseError as error:  # not cached and the database is down or hung
        raise LinkLookupUnavailable from error
    if link is None:
        return None
    click_id = new_click_id()
    if environ.get("REQUEST_METHOD") == "GET":  # HEAD is a link checker, not a click
        _record(link, click_id, environ, in_django=in_django)
    return link.location(click_id)


class ShortLinkDispatcher:
    """WSGI middleware: /r/<code> hits are answered here, everything else by Django."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(PREFIX) and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            try:
                location = short_link_location(environ)
            except LinkLookupUnavailable:
                environ[UNAVAILABLE] = True  # Django renders the branded 503, no database
                return self.application(environ, start_response)
            if location is not None:
                start_response("302 Found", [("Location", location), *_HEADERS])
                return [b""]
            environ[NOT_FOUND] = True
        return self.application(environ, start_response)
