"""Storing what a poll read: snapshots, comments, the rollups and the share's counters.

`snapshots_store` runs in one organization's context and one transaction:

- each snapshot is inserted keyed by (share, slot) and skipped when that slot is
  already stored, so a poll that runs twice (a redelivered task) stores nothing twice;
- for the rows really inserted, the difference to the values already counted
  (`PollSchedule.counted`) goes into the rollups; a metric the network did not
  report (None) keeps its last value;
- new comment texts are stored once and scored for sentiment;
- the share's latest counters are pushed onto it through the campaigns service.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max

from advocacy.tenancy.models import Organization
from analytics.engagement import sentiment
from analytics.models import Comment, MetricSnapshot, PollSchedule
from analytics.rollups.facts import SNAPSHOT_METRICS, Fact, comment_metrics, counted_after
from analytics.rollups.writers import rollups_add
from analytics.sql import insert_on_conflict
from campaigns.counters import share_counters_update
from social.providers.base import MetricsSnapshot

MAX_COMMENT_LENGTH = 2000
# The counters a share shows its advocate (campaigns.Share), pushed when they change.
SHARE_COUNTERS = ("impressions", "reactions", "comments", "reposts")


@dataclass(frozen=True)
class Reading:
    """One share's snapshot at one poll slot."""

    schedule: PollSchedule
    slot: int
    snapshot: MetricsSnapshot


def _insert_snapshots(
    organization: Organization, readings: Sequence[Reading], taken_at: datetime
) -> set[int]:
    """Insert the snapshots whose slot is not stored yet; returns the share ids inserted."""
    inserted = insert_on_conflict(
        MetricSnapshot._meta.db_table,
        ["organization_id", "share_id", "slot", "taken_at", *SNAPSHOT_METRICS],
        [
            (
                organization.pk,
                reading.schedule.share_id,
                reading.slot,
                taken_at,
                *(getattr(reading.snapshot, name) for name in SNAPSHOT_METRICS),
            )
            for reading in readings
        ],
        conflict=("organization_id", "share_id", "slot"),
        returning=("share_id",),
    )
    return {share_id for (share_id,) in inserted}


def comment_key(text: str) -> str:
    return hashlib.blake2b(text.strip().encode(), digest_size=16).hexdigest()


def _new_comments(
    organization: Organization, share_id: int, texts: Sequence[str], seen_at: datetime
) -> list[Comment]:
    """Comment rows for texts not stored yet: the nth copy of a text is its own comment."""
    wanted: Counter = Counter()
    by_key: dict[str, str] = {}
    for text in texts:
        clean = (text or "").strip()[:MAX_COMMENT_LENGTH]
        if clean:
            key = comment_key(clean)
            wanted[key] += 1
            by_key[key] = clean
    if not wanted:
        return []
    stored = Counter(
        dict(
            Comment.objects.for_org(organization)
            .filter(share_id=share_id, text_hash__in=list(wanted))
            .values_list("text_hash")
            .annotate(n=Max("occurrence"))
            .values_list("text_hash", "n")
        )
    )
    rows = []
    for key, count in wanted.items():
        for occurrence in range(stored.get(key, 0) + 1, count + 1):
            text = by_key[key]
            language = sentiment.guess_language(text)
            rows.append(
                Comment(
                    organization=organization,
                    share_id=share_id,
                    text_hash=key,
                    occurrence=occurrence,
                    text=text,
                    language=language,
                    sentiment=sentiment.analyze(text, language),
                    seen_at=seen_at,
                )
            )
    return rows


@transaction.atomic
def snapshots_store(
    *, organization: Organization, readings: Sequence[Reading], taken_at: datetime
) -> int:
    """Store one poll's readings (see the module docstring); returns the snapshots newly stored."""
    if not readings:
        return 0
    inserted = _insert_snapshots(organization, readings, taken_at)
    fresh = [reading for reading in readings if reading.schedule.share_id in inserted]
    if not fresh:
        return 0
    # Locked so two workers that hold the same share never count one difference twice.
    schedules = {
        row.pk: row
        for row in PollSchedule.objects.for_org(organization)
        .select_for_update()
        .filter(pk__in=[reading.schedule.pk for reading in fresh])
    }
    facts: list[Fact] = []
    comments: list[Comment] = []
    counted_rows: list[tuple] = []
    for reading in fresh:
        schedule = schedules[reading.schedule.pk]
        values = {name: getattr(reading.snapshot, name) for name in SNAPSHOT_METRICS}
        before = schedule.counted
        schedule.counted, differences = counted_after(schedule.counted, values)
        facts.append(Fact(schedule.share_id, taken_at, differences))
        if reading.snapshot.comment_texts:
            new = _new_comments(
                organization, schedule.share_id, reading.snapshot.comment_texts, taken_at
            )
            comments += new
            facts += [
                Fact(schedule.share_id, taken_at, comment_metrics(comment.sentiment))
                for comment in new
            ]
        counted_rows.append((json.dumps(schedule.counted), schedule.pk, organization.pk))
        reading.schedule.counted = schedule.counted
        latest = schedule.counted
        if any(latest.get(name) != before.get(name) for name in SHARE_COUNTERS):
            share_counters_update(
                organization=organization,
                share_id=schedule.share_id,
                impressions=latest.get("impressions"),
                reactions=latest.get("reactions"),
                comments=latest.get("comments"),
                reposts=latest.get("reposts"),
            )
    table = connection.ops.quote_name(PollSchedule._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET counted = %s WHERE id = %s AND organization_id = %s",  # noqa: S608 (constant name)
            counted_rows,
        )
    Comment.objects.bulk_create(comments, ignore_conflicts=True)
    rollups_add(facts)
    return len(fresh)
