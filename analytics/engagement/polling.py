"""Engagement polling: when to read each published share's counters, and reading them.

The plan. A post gathers most of its audience in its first hours, so polls
start every 15 minutes and thin out with age: hourly to two days, every six
hours to a week, daily to 30 days, weekly to 90 days, and a final poll at 90
days. Per network: X's non-public metrics (impressions, link clicks) end at 30
days, so X gets a poll just before that mark; Facebook's insights refresh once a
day, so Facebook is read at most daily after its first day. Slot k of a share
is `published_at + plan[k]`; a poll that falls behind reads the latest slot that
is due (one catch-up read, not many).

The scheduler (beat, every 30 s) takes due rows across organizations in an
audited system context with `SELECT ... FOR UPDATE SKIP LOCKED`, leases them (moves
`next_poll_at` a few minutes ahead, so a lost task is picked up again later),
and enqueues one task per connection and batch (up to the network's
`max_metrics_batch`). The task runs in the organization's context, respects the
monthly read budget, calls `social.services.metrics_fetch` (which holds the shared
rate-limit buckets) and stores the readings (`engagement.snapshots_store`).

Outcomes: RateLimited → come back at `retry_at` (not a failure); ReauthRequired →
paused until the account is reconnected; Transient and other errors → exponential
backoff with jitter, and after `MAX_FAILURES` a dead-letter row admins see.
"""

from __future__ import annotations

import datetime
import logging
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from advocacy import events
from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Organization
from analytics.engagement.snapshots import Reading, snapshots_store
from analytics.models import AnalyticsSettings, PollFailure, PollSchedule, ReadUsage
from campaigns.models import Share
from social.models import Connection
from social.providers.base import (
    NotSupported,
    Permanent,
    ProviderError,
    RateLimited,
    ReauthRequired,
)
from social.providers.registry import PROVIDERS
from social.services import metrics_fetch

log = logging.getLogger(__name__)

MINUTE, HOUR, DAY = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(hours=1),
    datetime.timedelta(days=1),
)
FINAL_AGE = 90 * DAY
X_PRIVATE_METRICS_END = 30 * DAY
LEASE = 10 * MINUTE  # a claimed row comes back after this if its task was lost
MAX_FAILURES = 5
BACKOFF_BASE = 2 * MINUTE
BACKOFF_CAP = 6 * HOUR
CLAIM_LIMIT = 5000
NETWORKS = tuple(PROVIDERS)


@cache
def plan(network: str) -> tuple[datetime.timedelta, ...]:
    """The ages at which a post of this network is read, ending with the final poll."""
    ages: list[datetime.timedelta] = []
    ages += [i * 15 * MINUTE for i in range(1, 25)]  # to 6 h, every 15 min
    if network == "facebook":
        ages += [12 * HOUR, DAY]  # insights refresh daily: more would read the same numbers
        age = 2 * DAY
    else:
        ages += [i * HOUR for i in range(7, 49)]  # to 2 days, hourly
        ages += [i * 6 * HOUR for i in range(9, 29)]  # to 7 days, every 6 h
        age = 8 * DAY
    while age <= 30 * DAY:
        ages.append(age)
        age += DAY
    age = 37 * DAY
    while age < FINAL_AGE:
        ages.append(age)
        age += 7 * DAY
    if network == "x":
        ages.append(X_PRIVATE_METRICS_END - HOUR)  # the last read with non-public metrics
    ages.append(FINAL_AGE)
    return tuple(sorted(set(ages)))


def slot_due(
    network: str, published_at: datetime.datetime, now: datetime.datetime, at_least: int
) -> int:
    """The latest slot that is due now (never below `at_least`)."""
    ages = plan(network)
    age = now - published_at
    slot = at_least
    while slot + 1 < len(ages) and ages[slot + 1] <= age:
        slot += 1
    return slot


def slot_time(network: str, published_at: datetime.datetime, slot: int) -> datetime.datetime | None:
    ages = plan(network)
    return published_at + ages[slot] if slot < len(ages) else None


# --- schedules ----------------------------------------------------------------------------


def schedule_for_share(
    *, organization: Organization, share_id: int, published_at: datetime.datetime | None = None
) -> PollSchedule | None:
    """Make the share's poll schedule, once (the share is counted by `rollups.shares`)."""
    share = (
        Share.objects.for_org(organization)
        .select_related("publication", "connection")
        .filter(pk=share_id)
        .first()
    )
    if share is None or share.status not in (Share.Status.PUBLISHED, Share.Status.SHARED_BY_HAND):
        return None
    published_at = share.published_at or published_at or timezone.now()
    publication = share.publication
    pollable = (
        share.status == Share.Status.PUBLISHED
        and share.connection_id
        and publication is not None
        and publication.external_id
        and share.channel in PROVIDERS
    )
    with transaction.atomic():
        schedule, _created = PollSchedule.objects.for_org(organization).get_or_create(
            organization=organization,
            share=share,
            defaults={
                "connection_id": share.connection_id if pollable else None,
                "network": share.channel,
                "external_id": publication.external_id if pollable else "",
                "published_at": published_at,
                "state": PollSchedule.State.ACTIVE if pollable else PollSchedule.State.NOT_POLLED,
                "next_poll_at": slot_time(share.channel, published_at, 0) if pollable else None,
            },
        )
    return schedule


def schedules_pause_for_connection(
    *, organization: Organization, connection_id: int, reason: str
) -> int:
    return (
        PollSchedule.objects.for_org(organization)
        .filter(connection_id=connection_id, state=PollSchedule.State.ACTIVE)
        .update(state=PollSchedule.State.PAUSED, last_error=reason[:500])
    )


def schedules_resume_reconnected(*, now: datetime.datetime) -> int:
    """Paused rows whose account works again are due at once. Caller holds a system context."""
    usable = Connection.objects.filter(
        status__in=[Connection.Status.ACTIVE, Connection.Status.EXPIRING]
    )
    return PollSchedule.objects.filter(
        state=PollSchedule.State.PAUSED, connection__in=usable
    ).update(state=PollSchedule.State.ACTIVE, next_poll_at=now, last_error="")


def poll_failure_retry(*, organization: Organization, failure: PollFailure) -> None:
    """An admin asks to try a dead share again."""
    with transaction.atomic():
        PollFailure.objects.for_org(organization).filter(pk=failure.pk).update(
            resolved_at=timezone.now()
        )
        PollSchedule.objects.for_org(organization).filter(pk=failure.schedule_id).update(
            state=PollSchedule.State.ACTIVE, failures=0, next_poll_at=timezone.now(), last_error=""
        )


# --- the scheduler --------------------------------------------------------------------------


def batch_size(network: str) -> int:
    provider = PROVIDERS.get(network)
    return max(1, getattr(provider, "max_metrics_batch", 1))


def claim_due(
    *, now: datetime.datetime | None = None, limit: int = CLAIM_LIMIT
) -> list[tuple[int, int, list[int]]]:
    """Take due rows across organizations; returns (organization id, connection id, schedule ids) batches."""
    now = now or timezone.now()
    with system_context("poll scheduler"):
        schedules_resume_reconnected(now=now)
        with transaction.atomic():
            due = PollSchedule.objects.filter(
                state=PollSchedule.State.ACTIVE, next_poll_at__lte=now
            ).order_by("next_poll_at")
            if db_connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            rows = list(
                due.values_list("id", "organization_id", "connection_id", "network")[:limit]
            )
            if rows:
                PollSchedule.objects.filter(pk__in=[row[0] for row in rows]).update(
                    next_poll_at=now + LEASE
                )
    grouped: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for schedule_id, organization_id, connection_id, network in rows:
        grouped[(organization_id, connection_id or 0, network)].append(schedule_id)
    batches = []
    for (organization_id, connection_id, network), ids in grouped.items():
        size = batch_size(network)
        for start in range(0, len(ids), size):
            batches.append((organization_id, connection_id, ids[start : start + size]))
    return batches


# --- one batch ----------------------------------------------------------------------------------


def _month(organization: Organization, now: datetime.datetime) -> datetime.date:
    return now.astimezone(zoneinfo.ZoneInfo(organization.timezone)).date().replace(day=1)


def _next_month_start(organization: Organization, now: datetime.datetime) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(organization.timezone)
    first = _month(organization, now)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return datetime.datetime.combine(following, datetime.time(), tzinfo=zone)


def reads_left(*, organization: Organization, network: str, now: datetime.datetime) -> int | None:
    """Posts this organization may still read from `network` this month (None: no budget)."""
    settings = AnalyticsSettings.objects.for_org(organization).first()
    budget = (settings.read_budgets or {}).get(network) if settings else None
    if budget in (None, ""):
        return None
    used = (
        ReadUsage.objects.for_org(organization)
        .filter(network=network, month=_month(organization, now))
        .values_list("reads", flat=True)
        .first()
        or 0
    )
    return max(0, int(budget) - used)


def _count_reads(
    organization: Organization, network: str, now: datetime.datetime, reads: int
) -> None:
    if reads <= 0:
        return
    month = _month(organization, now)
    usage, created = ReadUsage.objects.for_org(organization).get_or_create(
        organization=organization, network=network, month=month, defaults={"reads": reads}
    )
    if not created:
        ReadUsage.objects.for_org(organization).filter(pk=usage.pk).update(reads=F("reads") + reads)


def _backoff(failures: int) -> datetime.timedelta:
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** (failures - 1)))
    return delay * random.uniform(
        0.75, 1.25
    )  # jitter: retries of a whole batch do not arrive together


def _advance(schedule: PollSchedule, slot: int, now: datetime.datetime) -> None:
    schedule.slot = slot + 1
    schedule.last_polled_at = now
    schedule.failures = 0
    schedule.last_error = ""
    schedule.next_poll_at = slot_time(schedule.network, schedule.published_at, schedule.slot)
    if schedule.next_poll_at is None:
        schedule.state = PollSchedule.State.DONE


_SAVED_FIELDS = ("slot", "last_polled_at", "failures", "last_error", "next_poll_at", "state")


def _save(organization: Organization, schedules: Sequence[PollSchedule]) -> None:
    """Write the schedules back: one UPDATE per distinct outcome, which in a batch of one
    account's posts is usually one or two (bulk_update's CASE per row costs far more)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for schedule in schedules:
        groups[tuple(getattr(schedule, name) for name in _SAVED_FIELDS)].append(schedule.pk)
    for values, ids in groups.items():
        PollSchedule.objects.for_org(organization).filter(pk__in=ids).update(
            **dict(zip(_SAVED_FIELDS, values, strict=True))
        )


def _fail(
    organization: Organization,
    schedules: Sequence[PollSchedule],
    error: ProviderError,
    now: datetime.datetime,
    *,
    permanent: bool = False,
) -> None:
    dead = []
    for schedule in schedules:
        schedule.failures += 1
        schedule.last_error = str(error.message if hasattr(error, "message") else error)[:500]
        if permanent or schedule.failures >= MAX_FAILURES:
            schedule.state = PollSchedule.State.DEAD
            schedule.next_poll_at = None
            dead.append(
                PollFailure(
                    organization=organization,
                    schedule=schedule,
                    share_id=schedule.share_id,
                    network=schedule.network,
                    error=schedule.last_error,
                    attempts=schedule.failures,
                )
            )
        else:
            schedule.next_poll_at = now + _backoff(schedule.failures)
    with transaction.atomic():
        _save(organization, schedules)
        PollFailure.objects.bulk_create(dead)


def poll_batch(
    *,
    organization: Organization,
    connection_id: int,
    schedule_ids: Sequence[int],
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Read and store one batch of a connection's due shares. Safe to run twice."""
    now = now or timezone.now()
    schedules = list(
        PollSchedule.objects.for_org(organization)
        .filter(
            pk__in=schedule_ids,
            state=PollSchedule.State.ACTIVE,
            connection_id=connection_id or None,
        )
        .order_by("next_poll_at", "pk")
    )
    outcome = {"stored": 0, "postponed": 0, "failed": 0, "paused": 0, "gone": 0}
    if not schedules:
        return outcome
    network = schedules[0].network
    connection = (
        Connection.objects.for_org(organization)
        .select_related("instance_app")
        .filter(pk=connection_id)
        .first()
    )
    if connection is None:
        for schedule in schedules:
            schedule.state, schedule.next_poll_at = PollSchedule.State.DONE, None
            schedule.last_error = "The connected account was removed."
        _save(organization, schedules)
        outcome["gone"] = len(schedules)
        return outcome

    left = reads_left(organization=organization, network=network, now=now)
    if left is not None and left < len(schedules):
        # Over budget: the most overdue are read now, the others wait for next month.
        later, schedules = schedules[left:], schedules[:left]
        resume_at = _next_month_start(organization, now)
        for schedule in later:
            schedule.next_poll_at = resume_at
        _save(organization, later)
        outcome["postponed"] = len(later)
        if not schedules:
            return outcome

    by_external = {schedule.external_id: schedule for schedule in schedules}
    try:
        snapshots = metrics_fetch(
            organization=organization, connection=connection, external_ids=list(by_external)
        )
    except RateLimited as error:
        retry_at = max(error.retry_at, now) + datetime.timedelta(seconds=random.uniform(0, 5))
        for schedule in schedules:
            schedule.next_poll_at = retry_at
        _save(organization, schedules)
        outcome["postponed"] += len(schedules)
        return outcome
    except ReauthRequired as error:
        for schedule in schedules:
            schedule.state = PollSchedule.State.PAUSED
            schedule.last_error = str(error.message)[:500]
        _save(organization, schedules)
        outcome["paused"] = len(schedules)
        return outcome
    except NotSupported as error:
        for schedule in schedules:
            schedule.state, schedule.next_poll_at, schedule.last_error = (
                PollSchedule.State.DONE,
                None,
                error.message[:500],
            )
        _save(organization, schedules)
        outcome["gone"] = len(schedules)
        return outcome
    except ProviderError as error:
        _fail(organization, schedules, error, now, permanent=isinstance(error, Permanent))
        outcome["failed"] = len(schedules)
        return outcome

    readings = []
    for snapshot in snapshots:
        schedule = by_external.get(snapshot.external_id)
        if schedule is None:
            continue
        readings.append(
            Reading(
                schedule, slot_due(network, schedule.published_at, now, schedule.slot), snapshot
            )
        )
    with transaction.atomic():
        _count_reads(organization, network, now, len(by_external))
        outcome["stored"] = snapshots_store(
            organization=organization, readings=readings, taken_at=now
        )
        read = {reading.schedule.pk: reading.slot for reading in readings}
        deleted: list[int] = []
        for schedule in schedules:
            if schedule.pk in read:
                _advance(schedule, read[schedule.pk], now)
            else:  # the network no longer has the post (deleted): nothing more to read
                schedule.state, schedule.next_poll_at = PollSchedule.State.DONE, None
                schedule.last_error = "The post is no longer on the network."
                deleted.append(schedule.share_id)
        outcome["gone"] += len(deleted)
        _save(organization, schedules)
        _report_deleted(organization, deleted)
    return outcome


def _report_deleted(organization: Organization, share_ids: list[int]) -> None:
    """The advocate deleted these posts on the network: tell the apps that care
    (recognition holds points of a share deleted right after it earned them)."""
    if not share_ids:
        return
    owners = Share.objects.for_org(organization).filter(pk__in=share_ids)
    for share_id, membership_id in owners.values_list("pk", "membership_id"):
        events.publish(
            events.ShareDeleted(
                organization_id=organization.pk, share_id=share_id, membership_id=membership_id
            )
        )
