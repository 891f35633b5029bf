"""Points for the clicks advocates' shares earn, learned from the click side's events.

The click flush sends one `ClicksCounted` per organization per batch, each share with
the clicks that batch *added*. Points follow milestones of a share's running total (the
sum of what the ledger recorded for it), so batches may arrive in any order. Each
share's entry is keyed by the batch, so a batch delivered twice counts once. The recount
compares the ledger with the click side's totals and appends what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from ..models import Cause, GamingFlag, PointEntry, RecognitionSettings
from .badges import badges_evaluate
from .ledger import entry_append_locked, member_lock
from .program import settings_ensure


class ShareClicks(NamedTuple):
    share_id: int
    membership_id: int
    clicks: int  # added by a batch (award) or in all (recount), as the caller says


def _recorded(organization: Organization, share_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        PointEntry.objects.for_org(organization)
        .filter(cause=Cause.CLICKS, reference_id__in=list(share_ids))
        .values_list("reference_id")
        .annotate(total=Sum("quantity"))
        .values_list("reference_id", "total")
    )


def _self_click_flags(organization: Organization, share_ids: Iterable[int]) -> dict:
    return {
        (flag.membership_id, flag.reference_id): flag
        for flag in GamingFlag.objects.for_org(organization).filter(
            kind=GamingFlag.Kind.SELF_CLICKS,
            status=GamingFlag.Status.OPEN,
            reference_id__in=list(share_ids),
        )
    }


def _points(settings: RecognitionSettings, before: int, after: int) -> int:
    step = max(1, settings.clicks_per_milestone)
    return (after // step - before // step) * settings.points_per_click_milestone


def _append(
    organization: Organization,
    per_member: Mapping[int, list[ShareClicks]],
    key_of,
    added_of,
    reason: str = "",
) -> int:
    """Append one entry per share (members in id order, each under its ledger lock)."""
    settings = settings_ensure(organization=organization)
    members = Membership.objects.for_org(organization).in_bulk(list(per_member))
    appended = 0
    for membership_id in sorted(members):
        membership, items = members[membership_id], per_member[membership_id]
        with transaction.atomic():
            member_lock(organization=organization, membership=membership)
            share_ids = [item.share_id for item in items]
            recorded = _recorded(organization, share_ids)
            flags = _self_click_flags(organization, share_ids)
            new_entries = 0
            for item in items:
                before = recorded.get(item.share_id, 0)
                added = added_of(item, before)
                if added <= 0:
                    continue
                entry = entry_append_locked(
                    organization=organization,
                    membership=membership,
                    cause=Cause.CLICKS,
                    points=_points(settings, before, before + added),
                    quantity=added,
                    idempotency_key=key_of(item, before + added),
                    reference_id=item.share_id,
                    reason=reason,
                    flag=flags.get((membership_id, item.share_id)),
                )
                if entry is not None:
                    recorded[item.share_id] = before + added
                    new_entries += 1
            if new_entries:
                badges_evaluate(organization=organization, membership=membership)
            appended += new_entries
    return appended


def _by_member(items: Iterable[ShareClicks]) -> dict[int, list[ShareClicks]]:
    per_member: dict[int, list[ShareClicks]] = defaultdict(list)
    for item in items:
        per_member[item.membership_id].append(item)
    return per_member


def clicks_batch_award(
    *, organization: Organization, batch_id: str, shares: Iterable[ShareClicks]
) -> int:
    """Record the clicks one flush batch added to each share; points for every milestone
    a share's running total crosses. Returns the entries appended (0 for a repeat)."""
    if not batch_id:
        raise ValueError("a click batch needs its id")
    items = [ShareClicks(*item) for item in shares]
    if any(item.clicks <= 0 for item in items):
        raise ValueError("a batch adds at least one click to each share it names")
    return _append(
        organization,
        _by_member(items),
        key_of=lambda item, _total: f"clicks:{item.share_id}:batch:{batch_id}",
        added_of=lambda item, _before: item.clicks,
    )


def click_points_recount(*, organization: Organization, totals: Iterable[ShareClicks]) -> int:
    """Append, for each share whose ledger records fewer clicks than the click side
    counted in all, the missing clicks and their milestone points. Never takes points
    away; running it again appends nothing. Returns the entries appended."""
    return _append(
        organization,
        _by_member(ShareClicks(*item) for item in totals),
        key_of=lambda item, total: f"clicks:{item.share_id}:recount:{total}",
        added_of=lambda item, before: item.clicks - before,
        reason=_("Clicks recounted"),
    )
