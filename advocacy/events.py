"""Typed events between apps, dispatched after the transaction commits.

An app publishes a frozen dataclass; other apps subscribe to its type in
their AppConfig.ready(). Handlers run once the surrounding transaction has
committed (at once when there is none), so a rolled-back write never
awards points or starts polling. Handlers that do slow work enqueue a task.
Events carry ids, never model instances, so they are safe to hand to Celery.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction

log = logging.getLogger(__name__)

E = TypeVar("E")
_handlers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return register


def publish(event: object) -> None:
    transaction.on_commit(lambda: _dispatch(event), robust=False)


def _dispatch(event: object) -> None:
    for handler in list(_handlers[type(event)]):
        handler(event)


# --- the events -------------------------------------------------------------


@dataclass(frozen=True)
class MemberJoined:
    organization_id: int
    membership_id: int


@dataclass(frozen=True)
class ContentApproved:
    organization_id: int
    content_id: int


@dataclass(frozen=True)
class CourseCompleted:
    organization_id: int
    membership_id: int
    course_id: int


@dataclass(frozen=True)
class GuidelinesAcknowledged:
    organization_id: int
    membership_id: int
    version_id: int


@dataclass(frozen=True)
class SharePublished:
    organization_id: int
    share_id: int
    membership_id: int
    network: str
    campaign_id: int | None
    published_at: datetime
    # Appended with a default so publishers that predate it keep working.
    content_title: str = ""


@dataclass(frozen=True)
class ShareDeleted:
    organization_id: int
    share_id: int
    membership_id: int


@dataclass(frozen=True)
class ClicksCounted:
    """Human, unique clicks newly counted for one advocate's share."""

    organization_id: int
    share_id: int
    membership_id: int
    total_clicks: int


@dataclass(frozen=True)
class PulseAnswered:
    """Participation only: never says what was answered."""

    organization_id: int
    membership_id: int
    round_id: int


@dataclass(frozen=True)
class ConversionRecorded:
    organization_id: int
    conversion_id: int
    membership_id: int | None


# --- recognition (issue 9) ---------------------------------------------------


@dataclass(frozen=True)
class TrainingCompleted:
    """Published by the training side when an advocate has completed every active course."""

    organization_id: int
    membership_id: int


@dataclass(frozen=True)
class SelfClicksDetected:
    """Published by the click side when one visitor hash keeps clicking an advocate's own
    link (e.g. the advocate's own device); recognition holds the share's click points."""

    organization_id: int
    share_id: int
    membership_id: int
    clicks: int


@dataclass(frozen=True)
class ShareRepostRequested:
    """An advocate consented that the company reposts their share on its own account;
    the sharing side carries it out."""

    organization_id: int
    share_id: int
    membership_id: int
    requested_by_id: int
    repost_request_id: int


# --- tracked links and clicks (issue 6) ---------------------------------------


@dataclass(frozen=True)
class TrackedLinkChanged:
    """A tracked link was switched off or on; the redirect forgets what it cached."""

    organization_id: int
    link_id: int
    code: str


# --- social connections (issue 4) ---------------------------------------------


@dataclass(frozen=True)
class SocialConnectionNeedsReconnect:
    """A connected account lost its access (revoked, expired without refresh):
    publishing and engagement polling through it pause until the employee reconnects."""

    organization_id: int
    connection_id: int
    membership_id: int
    network: str


# --- reposts on the company account (issue 9 item 4, sharing side) --------------


@dataclass(frozen=True)
class ShareReposted:
    """The sharing side carried out (ok) or could not carry out a consented repost
    request on the company account; ``error`` says why, for the people who asked."""

    organization_id: int
    repost_request_id: int
    ok: bool
    error: str = ""
