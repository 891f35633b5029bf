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

from django.db import transaction
from django.db.models import Count

from advocacy import events
from advocacy.tenancy.models import Organization
from analytics.clicks.bots import is_bot
from analytics.models import ClickEvent
from analytics.rollups.facts import Fact, click_metrics
from analytics.rollups.writers import rollups_add
from analytics.sql import insert_on_conflict
from campaigns.counters import share_clicks_add
from campaigns.models import TrackedLink

log = logging.getLogger(__name__)


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

    # Stream entries use one-letter fields: the redirect writes one per click.
    def to_stream(self) -> dict[str, str]:
        return {
            "c": self.click_id,
            "o": str(self.organization_id),
            "l": str(self.link_id),
            "s": str(self.share_id),
            "m": str(self.membership_id),
            "k": "" if self.campaign_id is None else str(self.campaign_id),
            "t": str(int(self.clicked_at.timestamp() * 1000)),
            "v": self.visitor_hash,
            "r": self.referer,
            "g": self.country,
            "u": self.user_agent,
        }

    @classmethod
    def from_stream(cls, fields: Mapping[bytes, bytes]) -> Click:
        """Raises KeyError/ValueError on an entry that is not a click."""
        return cls.from_fields(
            {key.decode(): value.decode("utf-8", "replace") for key, value in fields.items()}
        )

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
    hour = int(click.clicked_at.timestamp()) // 3600 - hours_before
    return hashlib.blake2b(
        f"{click.link_id}:{click.visitor_hash}:{hour}".encode(), digest_size=8
    ).hexdigest()


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _flag(organization_id: int, clicks: list[Click]) -> None:
    """Bots, and which human click opens a visit (nothing earlier in the same visit)."""
    for click in clicks:
        click.is_bot = is_bot(click.user_agent)
        click.visit_key = "" if click.is_bot else _visit_key(click)
    keys = list({click.visit_key for click in clicks if click.visit_key})
    seen: set[str] = set()
    for chunk in _chunks(keys, 2000):
        seen.update(
            ClickEvent.objects.filter(organization_id=organization_id, visit_key__in=chunk)
            .values_list("visit_key", flat=True)
            .distinct()
        )
    for click in sorted(clicks, key=lambda c: (c.clicked_at, c.click_id)):
        if click.visit_key and click.visit_key not in seen:
            click.is_unique = True
            seen.add(click.visit_key)


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
    """Store a batch of clicks (any organizations); returns the clicks newly stored.

    Runs in the caller's system context (it spans organizations)."""
    if not clicks:
        return []
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
    with transaction.atomic():
        for organization_id, org_clicks in by_org.items():
            _flag(organization_id, org_clicks)
            stored = _insert(org_clicks)
            new += [c for c in org_clicks if (organization_id, c.click_id) in stored]
        _count(new)
        _report_self_click_bursts(new)
        rollups_add(
            Fact(c.share_id, c.clicked_at, click_metrics(is_bot=c.is_bot, is_unique=c.is_unique))
            for c in new
        )
    return new


# One visitor clicking the same link this often within its clock hour and the one
# before is not an audience: typically the advocate's own device. Recognition holds
# the share's click points. Counted through the indexed (organization, visit_key).
SELF_CLICK_BURST = 5


def _report_self_click_bursts(new: list[Click]) -> None:
    """Publish `SelfClicksDetected` when this batch takes a visitor's human clicks on
    one link to the burst threshold (once, when it is crossed). One query per
    organization in the batch."""
    in_batch: Counter = Counter()
    latest: dict[tuple, Click] = {}
    for click in new:
        if not click.is_bot:
            pair = (click.organization_id, click.link_id, click.visitor_hash)
            in_batch[pair] += 1
            latest[pair] = click  # the latest click of the pair decides the window
    pair_of_key: dict[int, dict[str, tuple]] = defaultdict(dict)
    for pair, click in latest.items():
        for hours_before in (0, 1):
            pair_of_key[click.organization_id][_visit_key(click, hours_before)] = pair
    totals: Counter = Counter()
    for organization_id, keys in pair_of_key.items():
        for chunk in _chunks(list(keys), 2000):
            rows = (
                ClickEvent.objects.filter(organization_id=organization_id, visit_key__in=chunk)
                .values_list("visit_key")
                .annotate(clicks=Count("id"))
            )
            for visit_key, clicks in rows:
                totals[keys[visit_key]] += clicks
    for pair, total in totals.items():
        if total - in_batch[pair] < SELF_CLICK_BURST <= total:
            click = latest[pair]
            events.publish(
                events.SelfClicksDetected(
                    organization_id=click.organization_id,
                    share_id=click.share_id,
                    membership_id=click.membership_id,
                    same_visitor_clicks=total,
                )
            )


def _count(new: list[Click]) -> None:
    counted: dict[int, Counter] = defaultdict(Counter)
    owner: dict[int, int] = {}
    for click in new:
        if click.is_unique:
            counted[click.organization_id][click.share_id] += 1
            owner[click.share_id] = click.membership_id
    if not counted:
        return
    organizations = Organization.objects.in_bulk(list(counted))
    batch_id = uuid.uuid4().hex  # one event per organization per batch, named by the batch
    for organization_id, per_share in counted.items():
        organization = organizations.get(organization_id)
        if organization is None:
            continue
        share_clicks_add(organization=organization, added=per_share)
        events.publish(
            events.ClicksCounted(
                organization_id=organization_id,
                batch_id=batch_id,
                shares=tuple(
                    events.ShareClicks(
                        share_id=share_id, membership_id=owner[share_id], clicks_added=added
                    )
                    for share_id, added in per_share.items()
                ),
            )
        )
