"""Typed events between apps, dispatched after the transaction commits.

An app publishes an event; other apps subscribe to its type when Django starts (each
app's `AppConfig.ready()` imports its `handlers` module, whose `subscribe`/`forward`
calls register the handlers). Handlers run once the surrounding transaction has
committed (at once when there is none), so a rolled-back write never awards points or
starts polling. Handlers that do slow work enqueue a task; `forward` is that handler.

Events are contracts: each is a frozen dataclass validated strictly by pydantic, so a
missing field or a field of the wrong type raises where the event is built, never
downstream. Field names say exactly what they carry (`clicks_added` is a delta, never a
running total). Events carry ids, never model instances, so they are safe to hand to
Celery. `tests/contracts/` checks that every event has a publisher and a subscriber and
drives each real publisher into its real consumers.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from django.db import transaction
from pydantic import ConfigDict, PositiveInt, TypeAdapter
from pydantic.dataclasses import dataclass as _pydantic_dataclass

log = logging.getLogger(__name__)

E = TypeVar("E")
_handlers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


EVENTS: list[type] = []  # every event type, in declaration order


def part(cls: type[E]) -> type[E]:
    """Declare a value carried inside events: frozen and strictly typed (no coercion)."""
    return _pydantic_dataclass(frozen=True, config=ConfigDict(strict=True))(cls)


def event(cls: type[E]) -> type[E]:
    """Declare an event: a `part` that can be published and subscribed to."""
    declared = part(cls)
    EVENTS.append(declared)
    return declared


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return register


def subscribers(event_type: type) -> list[Callable[[Any], None]]:
    return list(_handlers[event_type])


@cache
def _adapter(event_type: type) -> TypeAdapter:
    return TypeAdapter(event_type)


def as_payload(event: object, *, drop: Iterable[str] = ()) -> dict[str, Any]:
    """The event's fields as JSON-safe keyword arguments (datetimes as ISO text)."""
    payload = _adapter(type(event)).dump_python(event, mode="json")
    for name in drop:
        payload.pop(name)
    return payload


def from_payload(event_type: type[E], payload: dict[str, Any]) -> E:
    """Rebuild an event from `as_payload` (JSON's types: ISO text becomes a datetime)."""
    return _adapter(event_type).validate_python(payload, strict=False)


class _Forwarder:
    """The handler `forward` subscribes: enqueue `task` with the event's fields."""

    def __init__(self, task: Any, drop: tuple[str, ...]) -> None:
        self.task, self.drop = task, drop

    def __call__(self, event: object) -> None:
        self.task.delay(**as_payload(event, drop=self.drop))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Forwarder) and (self.task, self.drop) == (other.task, other.drop)

    def __hash__(self) -> int:
        return hash((id(self.task), self.drop))

    def __repr__(self) -> str:
        return f"forward to {getattr(self.task, 'name', self.task)!r}"


def forward(event_type: type, task: Any, *, drop: Iterable[str] = ()) -> None:
    """Subscribe a Celery task to an event: each event becomes one `task.delay(**fields)`.

    The task takes every field of the event as a keyword argument except those named in
    `drop` (checked by the contract tests); it must be idempotent, since a broker may
    deliver it twice."""
    subscribe(event_type)(_Forwarder(task, tuple(drop)))


def publish(event: object) -> None:
    transaction.on_commit(lambda: _dispatch(event), robust=False)


def _dispatch(event: object) -> None:
    for handler in list(_handlers[type(event)]):
        handler(event)


# --- the events -------------------------------------------------------------


@event
class CourseCompleted:
    organization_id: int
    membership_id: int
    course_id: int


@event
class SharePublished:
    organization_id: int
    share_id: int
    membership_id: int
    network: str
    campaign_id: int | None
    published_at: datetime
    # Appended with a default so publishers that predate it keep working.
    content_title: str = ""


@event
class ShareDeleted:
    organization_id: int
    share_id: int
    membership_id: int


@part
class ShareClicks:
    """Part of `ClicksCounted`: what one batch added to one advocate's share."""

    share_id: int
    membership_id: int
    clicks_added: PositiveInt


@event
class ClicksCounted:
    """Human, unique clicks that one click-flush batch newly counted, for every share of
    one organization it touched. `clicks_added` is this batch's delta, never a running
    total; `batch_id` names the batch, so a consumer that sees it twice counts it once."""

    organization_id: int
    batch_id: str
    shares: tuple[ShareClicks, ...]


@event
class ClickPointsRecountRequested:
    """Recognition asks the sharing side for every share's clicks so far, to repair the
    click points of existing data (`manage.py recount_click_points`)."""

    organization_id: int


@part
class ShareClickTotal:
    """Part of `ShareClickTotalsReported`: one share's unique human clicks in all."""

    share_id: int
    membership_id: int
    clicks_total: PositiveInt


@event
class ShareClickTotalsReported:
    """The sharing side's answer to `ClickPointsRecountRequested`: running totals, for
    every share of the organization with at least one click."""

    organization_id: int
    shares: tuple[ShareClickTotal, ...]


@event
class PulseAnswered:
    """Participation only: never says what was answered."""

    organization_id: int
    membership_id: int
    round_id: int


@event
class ConversionRecorded:
    organization_id: int
    conversion_id: int
    membership_id: int | None


# --- recognition (issue 9) ---------------------------------------------------


@event
class TrainingCompleted:
    """Published by the training side when an advocate has completed every active course."""

    organization_id: int
    membership_id: int


@event
class SelfClicksDetected:
    """Published by the click side when one visitor hash keeps clicking an advocate's own
    link (e.g. the advocate's own device); recognition holds the share's click points."""

    organization_id: int
    share_id: int
    membership_id: int
    # How many human clicks that one visitor made on the link within the burst window.
    same_visitor_clicks: PositiveInt


@event
class ShareRepostRequested:
    """An advocate consented that the company reposts their share on its own account;
    the sharing side carries it out."""

    organization_id: int
    share_id: int
    membership_id: int
    requested_by_id: int
    repost_request_id: int


# --- tracked links and clicks (issue 6) ---------------------------------------


@event
class TrackedLinkChanged:
    """A tracked link was switched off or on; the redirect forgets what it cached."""

    organization_id: int
    link_id: int
    code: str


# --- social connections (issue 4) ---------------------------------------------


@event
class PublicationSettled:
    """The social app looked up a publication whose outcome was lost and settled it:
    `status` is what it is now ("published", "pending" to be sent again, "failed", or
    "unknown" when only the employee can tell). The share shows it at once."""

    organization_id: int
    publication_id: int
    status: str


@event
class SocialConnectionNeedsReconnect:
    """A connected account lost its access (revoked, expired without refresh):
    publishing and engagement polling through it pause until the employee reconnects."""

    organization_id: int
    connection_id: int
    membership_id: int
    network: str


# --- reposts on the company account (issue 9 item 4, sharing side) --------------


@event
class ShareReposted:
    """The sharing side carried out (ok) or could not carry out a consented repost
    request on the company account; ``error`` says why, for the people who asked."""

    organization_id: int
    repost_request_id: int
    ok: bool
    error: str = ""


# --- data rights (issue 14) ----------------------------------------------------


@event
class AccountErased:
    """A person deleted their account: every app forgets what it holds about this
    membership (tokens, profiles, drafts, notes); totals stay, pointing at no one."""

    organization_id: int
    membership_id: int
    user_id: int
