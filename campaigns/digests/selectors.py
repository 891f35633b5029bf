"""Reads of content digests: who receives what, how often, and what was sent.

The items are the member's own feed (content_library's `content_feed`: approved,
published, unexpired, their audience), narrowed to what became available since their
last digest and to what they have not shared yet; no second feed query."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from advocacy.tenancy.models import Membership, Organization
from campaigns.models import Share
from content_library.models import ContentItem
from content_library.selectors import content_feed

from .models import Digest, DigestPolicy, DigestPreference, Frequency

MAX_ITEMS = 8
PERIOD_LENGTH = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}


def digest_policy_get(*, organization: Organization) -> DigestPolicy:
    """The organization's default (unsaved default when never set)."""
    return DigestPolicy.objects.for_org(organization).first() or DigestPolicy(
        organization=organization
    )


def digest_preference_get(*, organization: Organization, membership: Membership) -> str:
    """The member's own choice ("" = the organization's default)."""
    return (
        DigestPreference.objects.for_org(organization)
        .filter(membership=membership)
        .values_list("frequency", flat=True)
        .first()
        or ""
    )


def effective_frequency(*, organization: Organization, membership: Membership) -> str:
    return (
        digest_preference_get(organization=organization, membership=membership)
        or digest_policy_get(organization=organization).default_frequency
    )


def digest_members(*, organization: Organization) -> QuerySet[Membership]:
    """Active members of active accounts, each annotated with `digest_frequency`
    (their choice, else the organization's default). One query."""
    default = digest_policy_get(organization=organization).default_frequency
    chosen = (
        DigestPreference.objects.for_org(organization)
        .filter(membership=OuterRef("pk"))
        .exclude(frequency="")
        .values("frequency")[:1]
    )
    return (
        Membership.objects.for_org(organization)
        .filter(is_active=True, user__is_active=True)
        .annotate(digest_frequency=Coalesce(Subquery(chosen), Value(default)))
        .select_related("user", "team")
        .order_by("user__name", "user__email")
    )


def digest_recipients(*, organization: Organization) -> dict[str, list[Membership]]:
    """Members by frequency, daily and weekly first, then those who receive none."""
    groups: dict[str, list[Membership]] = {value: [] for value in Frequency.values}
    for member in digest_members(organization=organization):
        groups.setdefault(member.digest_frequency, []).append(member)
    return groups


def digest_log(*, organization: Organization) -> QuerySet[Digest]:
    return Digest.objects.for_org(organization).select_related("membership__user")


def digest_period(*, organization: Organization, frequency: str, now: datetime) -> str | None:
    """The period a digest sent now belongs to, or None when it is not yet time: daily from
    DIGEST_SEND_HOUR local time; weekly from DIGEST_WEEKDAY at that hour, any day of the
    ISO week after (so a missed run catches up within the week)."""
    local = now.astimezone(ZoneInfo(organization.timezone or "UTC"))
    if frequency == Frequency.DAILY:
        return local.date().isoformat() if local.hour >= settings.DIGEST_SEND_HOUR else None
    if frequency == Frequency.WEEKLY:
        if (local.weekday(), local.hour) < (settings.DIGEST_WEEKDAY, settings.DIGEST_SEND_HOUR):
            return None
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return None


def digest_since(
    *, organization: Organization, membership: Membership, frequency: str, now: datetime
) -> datetime:
    """New means: available after the member's last digest, at most one period back."""
    last = (
        Digest.objects.for_org(organization)
        .filter(membership=membership, status=Digest.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    floor = now - PERIOD_LENGTH[frequency]
    return max(last, floor) if last else floor


def digest_items(
    *, organization: Organization, membership: Membership, since: datetime
) -> list[ContentItem]:
    """New items of the member's feed since `since` that they have not shared yet."""
    shared = Share.objects.for_org(organization).filter(membership=membership).values("content_id")
    available_at = Greatest(
        Coalesce("approved_at", "created_at"), Coalesce("publish_at", "created_at")
    )
    return list(
        content_feed(organization=organization, membership=membership)
        .annotate(available_at=available_at)
        .filter(available_at__gt=since)
        .exclude(pk__in=shared)[:MAX_ITEMS]
    )


def frequency_label(value: str) -> str:
    return str(dict(Frequency.choices).get(value, value))
