"""Counting clicks: what the flusher (and the no-Redis fallback) does with a batch.

For each click: flag bots (memoized per user agent), mark the first human
click of each visit (link, visitor, hour) as the unique one, insert the rows
keyed by click id so a batch delivered twice inserts nothing twice, then, for
the rows this call really inserted, add the unique human clicks to the shares'
counters, add them to the rollups and publish one `ClicksCounted` per organization
(each share with the clicks this batch added). All of it in the caller's
transaction: it commits whole or not at all.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import Count

from advocacy import events
from advocacy.tenancy.models import Organization
from analytics.clicks import bulk
from analytics.clicks.bots import is_bot
from analytics.models import ClickEvent
from analytics.rollups.facts import Fact, click_metrics
from analytics.rollups.writers import rollups_add
from analytics.sql import insert_on_conflict
from campaigns.counters import share_clicks_add
from campaigns.models import TrackedLink

log = logging.getLogger(__name__)


STREAM_FIELDS = ("c", "o", "l", "s", "m", "k", "t", "v", "r", "g", "u")
STREAM_SEPARATOR = "\x1f"  # ASCII unit separator: never in an id; dropped from header text


def stream_value(fields: Mapping[str, str | int]) -> str:
    """One click's stream value from its one-letter fields (see `Click.to_stream`)."""
    return STREAM_SEPARATOR.join(
        str(fields[name]).replace(STREAM_SEPARATOR, "") for name in STREAM_FIELDS
    )


@dataclass(slots=True)
class Click:
    click_id: str
    organization_id: int
    link_id: int
    share_id: int
    membership_id: int
    campaign_id: int | None
    clicked_at: datetime
    visitor_hash: str
    referer: str = ""
    country: str = ""
    user_agent: str = ""
    is_bot: bool = False
    is_unique: bool = False
    visit_key: str = ""

    # A stream entry is one field, "x": the one-letter fields' values in STREAM_FIELDS
    # order, joined by STREAM_SEPARATOR (one field is far cheaper to write and read than eleven).
    def to_stream(self) -> dict[str, str]:
        return {"x": self.packed()}

    def packed(self) -> str:
        return stream_value(
            {
                "c": self.click_id,
                "o": self.organization_id,
                "l": self.link_id,
                "s": self.share_id,
                "m": self.membership_id,
                "k": "" if self.campaign_id is None else self.campaign_id,
                "t": int(self.clicked_at.timestamp() * 1000),
                "v": self.visitor_hash,
                "r": self.referer,
                "g": self.country,
                "u": self.user_agent,
            }
        )

    @classmethod
    def from_stream(cls, fields: Mapping[bytes, bytes]) -> Click:
        """Raises KeyError/ValueError on an entry that is not a click. Reads entries of the
        one-field form and of the eleven-field form written before it."""
        packed = fields.get(b"x")
        if packed is None:
            return cls.from_fields(
                {key.decode(): value.decode("utf-8", "replace") for key, value in fields.items()}
            )
        values = packed.decode("utf-8", "replace").split(STREAM_SEPARATOR)
        if len(values) != len(STREAM_FIELDS):
            raise ValueError("not a click")
        return cls.from_fields(dict(zip(STREAM_FIELDS, values, strict=True)))

    @classmethod
    def from_fields(cls, text: Mapping[str, str]) -> Click:
        """A click from its one-letter fields (a stream entry or a journal line)."""
        return cls(
            click_id=text["c"][:24],
            organization_id=int(text["o"]),
            link_id=int(text["l"]),
            share_id=int(text["s"]),
            membership_id=int(text["m"]),
            campaign_id=int(text["k"]) if text.get("k") else None,
            clicked_at=datetime.fromtimestamp(int(text["t"]) / 1000, tz=UTC),
            visitor_hash=text["v"][:32],
            referer=text.get("r", "")[:500],
            country=text.get("g", "")[:2],
            user_agent=text.get("u", ""),
        )


def _visit_key(click: Click, hours_before: int = 0) -> str:
    """(link, visitor, clock hour) as 16 hex digits; `bulk.py` computes the same in SQL."""
    hour = int(click.clicked_at.timestamp()) // 3600 - hours_before
    key = hashlib.md5(
        f"{click.link_id}:{click.visitor_hash}:{hour}".encode(), usedforsecurity=False
    )
    return key.hexdigest()[:16]


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored_visit_clicks(organization_id: int, keys: set[str]) -> Counter:
    """How many clicks are stored under each of these visit keys (one indexed query on
    PostgreSQL; chunks of IN on SQLite)."""
    counts: Counter = Counter()
    if not keys:
        return counts
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT visit_key, count(*) FROM {ClickEvent._meta.db_table} "  # noqa: S608 (a constant)
                "WHERE organization_id = %s AND visit_key = ANY(%s) GROUP BY visit_key",
                [organization_id, list(keys)],
            )
            counts.update(dict(cursor.fetchall()))
        return counts
    for chunk in _chunks(list(keys), 2000):
        counts.update(
            dict(
                ClickEvent.objects.filter(organization_id=organization_id, visit_key__in=chunk)
                .values_list("visit_key")
                .annotate(clicks=Count("id"))
            )
        )
    return counts


def _flag(
    organization_id: int, clicks: list[Click]
) -> tuple[Counter, dict[tuple, tuple[Click, str]]]:
    """Bots, and which human click opens a visit (nothing earlier in the same visit).

    Also returns what the self-click check reads, from the same query: the clicks stored
    before this batch under each visit key it touches (this hour's, and the hour before
    the latest click of each link and visitor), and per (link, visitor) that latest click
    with its previous hour's visit key."""
    bot_by_agent: dict[str, bool] = {}
    keys: set[str] = set()
    latest: dict[tuple, Click] = {}
    for click in clicks:
        agent = click.user_agent
        bot = bot_by_agent.get(agent)
        if bot is None:
            bot = bot_by_agent[agent] = is_bot(agent)
        click.is_bot = bot
        if not bot:
            click.visit_key = _visit_key(click)
            keys.add(click.visit_key)
            pair = (click.link_id, click.visitor_hash)
            last = latest.get(pair)
            if last is None or (click.clicked_at, click.click_id) >= (
                last.clicked_at,
                last.click_id,
            ):
                latest[pair] = click
    previous_hour = {pair: _visit_key(click, 1) for pair, click in latest.items()}
    keys.update(previous_hour.values())
    before = _stored_visit_clicks(organization_id, keys)
    seen = {key for key, clicks_stored in before.items() if clicks_stored}
    for click in sorted(clicks, key=lambda c: (c.clicked_at, c.click_id)):
        if click.visit_key and click.visit_key not in seen:
            click.is_unique = True
            seen.add(click.visit_key)
    return before, {pair: (click, previous_hour[pair]) for pair, click in latest.items()}


_COLUMNS = (
    "organization_id",
    "link_id",
    "share_id",
    "click_id",
    "clicked_at",
    "visitor_hash",
    "visit_key",
    "referer",
    "country",
    "is_bot",
    "is_unique",
)


def _row(c: Click) -> tuple:
    return (
        c.organization_id,
        c.link_id,
        c.share_id,
        c.click_id,
        c.clicked_at,
        c.visitor_hash,
        c.visit_key,
        c.referer,
        c.country,
        c.is_bot,
        c.is_unique,
    )


def _insert(clicks: list[Click]) -> set[tuple[int, str]]:
    """Insert rows, skipping click ids already stored; returns (organization, click id) inserted."""
    inserted = insert_on_conflict(
        ClickEvent._meta.db_table,
        _COLUMNS,
        [_row(click) for click in clicks],
        conflict=("organization_id", "click_id"),
        returning=("organization_id", "click_id"),
    )
    return {(int(org), click_id) for org, click_id in inserted}


def clicks_record(clicks: list[Click]) -> list[Click]:
    """Store a batch of clicks (any organizations); returns the clicks newly stored, with
    their bot and unique flags.

    Runs in the caller's system context (it spans organizations). On PostgreSQL the
    batch goes through the flusher's SQL path (`bulk.py`), elsewhere through `_flag`."""
    if not clicks:
        return []
    if connection.vendor == "postgresql":
        by_id = {(c.organization_id, c.click_id[:24]): c for c in clicks}
        with transaction.atomic():
            counts, rows = _batch_store([c.packed().encode() for c in clicks], rows=True)
            _apply(counts)
        new = []
        for organization_id, click_id, bot, unique in rows:
            click = by_id[(organization_id, click_id)]
            click.is_bot, click.is_unique = bot, unique
            new.append(click)
        return new
    # A click on a link deleted since it was clicked has nothing left to count for.
    live_links = set(
        TrackedLink.objects.filter(pk__in={c.link_id for c in clicks}).values_list("id", flat=True)
    )
    by_click_id = {(c.organization_id, c.click_id): c for c in clicks if c.link_id in live_links}
    if len(by_click_id) < len(clicks):
        log.info(
            "%d clicks skipped (link deleted or repeated in the batch)",
            len(clicks) - len(by_click_id),
        )
    by_org: dict[int, list[Click]] = defaultdict(list)
    for click in by_click_id.values():
        by_org[click.organization_id].append(click)
    new: list[Click] = []
    bursts: list[tuple[int, int, int, int]] = []
    with transaction.atomic():
        for organization_id, org_clicks in by_org.items():
            before, latest = _flag(organization_id, org_clicks)
            stored = _insert(org_clicks)
            org_new = [c for c in org_clicks if (organization_id, c.click_id) in stored]
            bursts += _self_click_bursts(org_new, before, latest)
            new += org_new
        unique: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        for click in new:
            if click.is_unique:
                shares = unique[click.organization_id]
                _membership, added = shares.get(click.share_id, (click.membership_id, 0))
                shares[click.share_id] = (click.membership_id, added + 1)
        _apply(bulk.BatchCounts(len(new), _facts(new), dict(unique), bursts))
    return new


def packed_clicks_record(values: list[bytes]) -> int:
    """Store packed stream values (the flusher's batch); returns how many were newly stored."""
    if connection.vendor != "postgresql":
        return len(clicks_record(_unpack(values)))
    with transaction.atomic():
        counts, _rows = _batch_store(values)
        _apply(counts)
    return counts.inserted


def _batch_store(values: list[bytes], *, rows: bool = False):
    try:
        return bulk.batch_store(values, burst=SELF_CLICK_BURST, rows=rows)
    except bulk.NOT_CLICKS:
        return bulk.batch_store(checked_values(values), burst=SELF_CLICK_BURST, rows=rows)


# What the click table's columns hold: ids are bigints, times are after 1970 and before 5000.
_LARGEST_ID = 2**63 - 1
_LATEST_MS = 95_617_584_000_000


def checked_values(values: list[bytes]) -> list[bytes]:
    """The values that are clicks with numbers the database can hold, packed again."""
    return [click.packed().encode() for click in _unpack(values)]


def _unpack(values: list[bytes]) -> list[Click]:
    """The clicks among packed values; a value that is not one, or whose numbers no
    database column holds, is dropped and logged (one bad entry must not stop a flush)."""
    clicks = []
    for value in values:
        try:
            click = Click.from_stream({b"x": value})
            ids = (click.organization_id, click.link_id, click.share_id, click.membership_id)
            if max(ids) > _LARGEST_ID or min(ids) < 0 or (click.campaign_id or 0) > _LARGEST_ID:
                raise ValueError("an id out of range")
            if not 0 <= click.clicked_at.timestamp() * 1000 <= _LATEST_MS:
                raise ValueError("a time out of range")
        except (KeyError, ValueError, OverflowError, OSError):
            log.error("click stream entry is not a click; dropped")
            continue
        clicks.append(click)
    return clicks


def _facts(new: list[Click]) -> list[Fact]:
    """The batch's clicks as rollup facts, one per share, quarter hour and kind of click
    (every time zone's offset is a whole number of quarter hours, so each group falls on
    one local day)."""
    groups: Counter = Counter()
    for click in new:
        quarter = int(click.clicked_at.timestamp()) // 900
        groups[(click.share_id, quarter, click.is_bot, click.is_unique)] += 1
    return [
        Fact(
            share_id,
            datetime.fromtimestamp(quarter * 900, tz=UTC),
            click_metrics(is_bot=is_bot, is_unique=is_unique, count=count),
        )
        for (share_id, quarter, is_bot, is_unique), count in groups.items()
    ]


# One visitor clicking the same link this often within its clock hour and the one
# before is not an audience: typically the advocate's own device. Recognition holds
# the share's click points. Counted through the indexed (organization, visit_key).
SELF_CLICK_BURST = 5


def _self_click_bursts(
    new: list[Click], before: Counter, latest: dict[tuple, tuple[Click, str]]
) -> list[tuple[int, int, int, int]]:
    """The (organization, share, membership, same-visitor clicks) of each visitor this
    batch takes, on one link, within the latest click's clock hour and the one before,
    to the burst threshold (once, when it is crossed). `before` and `latest` come from
    `_flag`."""
    windows = {pair: (click.visit_key, previous) for pair, (click, previous) in latest.items()}
    in_window: Counter = Counter()
    for click in new:
        if not click.is_bot:
            pair = (click.link_id, click.visitor_hash)
            if click.visit_key in windows[pair]:
                in_window[pair] += 1
    bursts = []
    for pair, added in in_window.items():
        stored_before = sum(before[key] for key in windows[pair])
        if stored_before < SELF_CLICK_BURST <= stored_before + added:
            click = latest[pair][0]
            bursts.append(
                (click.organization_id, click.share_id, click.membership_id, stored_before + added)
            )
    return bursts


def _apply(counts: bulk.BatchCounts) -> None:
    """What a stored batch moves outside the click table: the shares' counters, one
    `ClicksCounted` per organization, the rollups and the self-click holds."""
    if counts.unique:
        organizations = Organization.objects.in_bulk(list(counts.unique))
        batch_id = uuid.uuid4().hex  # one event per organization per batch, named by the batch
        for organization_id, per_share in counts.unique.items():
            organization = organizations.get(organization_id)
            if organization is None:
                continue
            share_clicks_add(
                organization=organization,
                added={share_id: added for share_id, (_m, added) in per_share.items()},
            )
            events.publish(
                events.ClicksCounted(
                    organization_id=organization_id,
                    batch_id=batch_id,
                    shares=tuple(
                        events.ShareClicks(
                            share_id=share_id, membership_id=membership_id, clicks_added=added
                        )
                        for share_id, (membership_id, added) in per_share.items()
                    ),
                )
            )
    rollups_add(counts.facts)
    for organization_id, share_id, membership_id, same_visitor_clicks in counts.bursts:
        events.publish(
            events.SelfClicksDetected(
                organization_id=organization_id,
                share_id=share_id,
                membership_id=membership_id,
                same_visitor_clicks=same_visitor_clicks,
            )
        )
