"""Points for what advocates do elsewhere in Chorus (learned through events), and the
anti-gaming holds that keep suspicious points out of balances until an admin decides."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization

from ..models import Cause, EntryStatus, GamingFlag, PointEntry
from .badges import badges_evaluate
from .ledger import member_lock, points_award
from .program import settings_ensure


def share_points_award(
    *,
    organization: Organization,
    membership: Membership,
    share_id: int,
    network: str,
    published_at: datetime.datetime | None = None,
    content_title: str = "",
) -> PointEntry | None:
    settings = settings_ensure(organization=organization)
    return points_award(
        organization=organization,
        membership=membership,
        cause=Cause.SHARE,
        points=settings.points_for_network(network),
        idempotency_key=f"share:{share_id}",
        reference_id=share_id,
        network=network[:32],
        content_title=(content_title or "")[:200],
        created_at=published_at,
    )


def _open_flag(organization, kind, membership, reference_id) -> GamingFlag | None:
    return (
        GamingFlag.objects.for_org(organization)
        .filter(
            kind=kind,
            membership=membership,
            reference_id=reference_id,
            status=GamingFlag.Status.OPEN,
        )
        .first()
    )


def _hold(entries, flag: GamingFlag) -> int:
    held = 0
    for entry in entries.filter(status=EntryStatus.COUNTED):
        entry.status, entry.flag = EntryStatus.HELD, flag
        entry.save(update_fields=["status", "flag"])
        held += 1
    return held


def course_points_award(
    *, organization: Organization, membership: Membership, course_id: int
) -> PointEntry | None:
    settings = settings_ensure(organization=organization)
    return points_award(
        organization=organization,
        membership=membership,
        cause=Cause.COURSE,
        points=settings.points_per_course,
        idempotency_key=f"course:{membership.pk}:{course_id}",
        reference_id=course_id,
    )


def pulse_points_award(
    *, organization: Organization, membership: Membership, round_id: int
) -> PointEntry | None:
    settings = settings_ensure(organization=organization)
    return points_award(
        organization=organization,
        membership=membership,
        cause=Cause.PULSE,
        points=settings.points_per_pulse,
        idempotency_key=f"pulse:{membership.pk}:{round_id}",
        reference_id=round_id,
    )


def share_deleted_record(
    *,
    organization: Organization,
    membership: Membership,
    share_id: int,
    deleted_at: datetime.datetime | None = None,
) -> GamingFlag | None:
    """A share deleted soon after it earned points is held for review with the clicks it earned."""
    settings = settings_ensure(organization=organization)
    deleted_at = deleted_at or timezone.now()
    with transaction.atomic():
        member_lock(organization=organization, membership=membership)
        entries = PointEntry.objects.for_org(organization).filter(
            membership=membership, cause__in=[Cause.SHARE, Cause.CLICKS], reference_id=share_id
        )
        share_entry = entries.filter(cause=Cause.SHARE).first()
        if (
            share_entry is None
            or share_entry.points <= 0
            or share_entry.status != EntryStatus.COUNTED
        ):
            return None
        if deleted_at - share_entry.created_at > datetime.timedelta(
            hours=settings.quick_delete_hours
        ):
            return None  # it stayed up long enough to do its work
        flag = GamingFlag.objects.create(
            organization=organization,
            kind=GamingFlag.Kind.QUICK_DELETE,
            membership=membership,
            reference_id=share_id,
            detail=_("Deleted %(minutes)s minutes after it was shared")
            % {"minutes": int((deleted_at - share_entry.created_at).total_seconds() // 60)},
        )
        _hold(entries, flag)
    return flag


def self_clicks_flag(
    *, organization: Organization, membership: Membership, share_id: int, clicks: int
) -> GamingFlag:
    """The click side saw one visitor repeatedly clicking this advocate's own link."""
    with transaction.atomic():
        member_lock(organization=organization, membership=membership)
        flag = _open_flag(organization, GamingFlag.Kind.SELF_CLICKS, membership, share_id)
        if flag is None:
            flag = GamingFlag.objects.create(
                organization=organization,
                kind=GamingFlag.Kind.SELF_CLICKS,
                membership=membership,
                reference_id=share_id,
                detail=_("%(clicks)s clicks from the same visitor on the advocate's own link")
                % {"clicks": clicks},
            )
        _hold(
            PointEntry.objects.for_org(organization).filter(
                cause=Cause.CLICKS, reference_id=share_id
            ),
            flag,
        )
    return flag


def flag_review(
    *, organization: Organization, flag: GamingFlag, confirm: bool, reviewer: Membership
) -> GamingFlag:
    """Confirmed: the held points are voided. Dismissed: they count after all."""
    ensure_in_org(organization, flag, reviewer)
    with transaction.atomic():
        flag = GamingFlag.objects.for_org(organization).select_for_update().get(pk=flag.pk)
        if flag.status != GamingFlag.Status.OPEN:
            raise ValidationError(_("This flag was already reviewed."))
        outcome = EntryStatus.VOIDED if confirm else EntryStatus.COUNTED
        members = set()
        for entry in PointEntry.objects.for_org(organization).filter(
            flag=flag, status=EntryStatus.HELD
        ):
            entry.status = outcome
            entry.save(update_fields=["status"])
            members.add(entry.membership_id)
        flag.status = GamingFlag.Status.CONFIRMED if confirm else GamingFlag.Status.DISMISSED
        flag.reviewed_by, flag.reviewed_at = reviewer, timezone.now()
        flag.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        if not confirm:
            for member in Membership.objects.for_org(organization).filter(pk__in=members):
                badges_evaluate(organization=organization, membership=member)
    return flag
