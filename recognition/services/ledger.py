"""Writes to the points ledger.

Every write for one advocate first locks that advocate's `MemberBalance` row, so the
daily cap, the balance check of a redemption and the idempotency check see a stable
ledger. An idempotency key is used once per organization: a rerun task or a duplicate
event finds its key taken and changes nothing.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization

from ..models import (
    CAPPED_CAUSES,
    Cause,
    EntryStatus,
    GamingFlag,
    MemberBalance,
    PointEntry,
    RecognitionSettings,
)
from ..periods import organization_tz
from .program import settings_ensure

MAX_ADJUSTMENT = 10_000


def member_lock(*, organization: Organization, membership: Membership) -> None:
    """Take the advocate's ledger lock for the rest of the surrounding transaction."""
    ensure_in_org(organization, membership)
    MemberBalance.objects.get_or_create(organization=organization, membership=membership)
    MemberBalance.objects.for_org(organization).select_for_update().get(membership=membership)


def balance_locked(*, organization: Organization, membership: Membership) -> int:
    return (
        PointEntry.objects.for_org(organization)
        .filter(membership=membership, status=EntryStatus.COUNTED)
        .aggregate(total=Sum("points"))["total"]
        or 0
    )


def _day_bounds(
    organization: Organization, moment: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    local = timezone.localtime(moment, organization_tz(organization))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def _capped(organization, membership, settings: RecognitionSettings, points: int, moment) -> int:
    start, end = _day_bounds(organization, moment)
    earned = (
        PointEntry.objects.for_org(organization)
        .filter(
            membership=membership,
            cause__in=CAPPED_CAUSES,
            created_at__gte=start,
            created_at__lt=end,
            status__in=[EntryStatus.COUNTED, EntryStatus.HELD],
        )
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    return max(0, min(points, settings.daily_cap - earned))


def entry_append_locked(
    *,
    organization: Organization,
    membership: Membership,
    cause: str,
    points: int,
    idempotency_key: str,
    reference_id: int | None = None,
    quantity: int = 1,
    network: str = "",
    content_title: str = "",
    reason: str = "",
    created_by: Membership | None = None,
    created_at: datetime.datetime | None = None,
    flag: GamingFlag | None = None,
) -> PointEntry | None:
    """Append one entry; the caller holds the member lock. None when the key was used before."""
    entries = PointEntry.objects.for_org(organization)
    if entries.filter(idempotency_key=idempotency_key).exists():
        return None
    moment = created_at or timezone.now()
    if cause in CAPPED_CAUSES and points > 0:
        allowed = _capped(
            organization, membership, settings_ensure(organization=organization), points, moment
        )
        if allowed < points:
            reason = _("Daily points cap reached")
            points = allowed
    try:
        with transaction.atomic():
            return PointEntry.objects.create(
                organization=organization,
                membership=membership,
                cause=cause,
                points=points,
                idempotency_key=idempotency_key,
                reference_id=reference_id,
                quantity=quantity,
                network=network,
                content_title=content_title,
                reason=reason[:255],
                created_by=created_by,
                created_at=moment,
                status=EntryStatus.HELD if flag is not None else EntryStatus.COUNTED,
                flag=flag,
            )
    except IntegrityError:
        return None  # the same key won a race we could not see; the ledger already has it


def points_award(
    *,
    organization: Organization,
    membership: Membership,
    cause: str,
    points: int,
    idempotency_key: str,
    **fields,
) -> PointEntry | None:
    """Append an entry once per idempotency key, then look for badges it unlocks."""
    from .badges import badges_evaluate

    with transaction.atomic():
        member_lock(organization=organization, membership=membership)
        entry = entry_append_locked(
            organization=organization,
            membership=membership,
            cause=cause,
            points=points,
            idempotency_key=idempotency_key,
            **fields,
        )
        if entry is not None:
            badges_evaluate(organization=organization, membership=membership)
    return entry


def adjustment_create(
    *,
    organization: Organization,
    membership: Membership,
    points: int,
    reason: str,
    actor: Membership,
    idempotency_key: str | None = None,
) -> PointEntry:
    ensure_in_org(organization, membership, actor)
    reason = (reason or "").strip()
    errors = {}
    if membership.pk == actor.pk:  # points are earned; another admin corrects one's own
        errors["membership"] = _("You cannot adjust your own points. Ask another admin.")
    if not reason:
        errors["reason"] = _("Say why you adjust the points; the advocate will see it.")
    if points == 0:
        errors["points"] = _("An adjustment of zero points changes nothing.")
    elif abs(points) > MAX_ADJUSTMENT:
        errors["points"] = _("An adjustment can be at most %(max)s points either way.") % {
            "max": MAX_ADJUSTMENT
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member_lock(organization=organization, membership=membership)
        if (
            points < 0
            and balance_locked(organization=organization, membership=membership) + points < 0
        ):
            raise ValidationError({"points": _("This would take the balance below zero.")})
        entry = entry_append_locked(
            organization=organization,
            membership=membership,
            cause=Cause.ADJUSTMENT,
            points=points,
            idempotency_key=f"adjustment:{idempotency_key or uuid.uuid4().hex}",
            reason=reason,
            created_by=actor,
        )
        if entry is None:
            raise ValidationError(_("This adjustment was already recorded."))
    return entry
