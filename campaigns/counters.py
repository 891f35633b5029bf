"""Per-share counters, written by analytics (which owns what happens after a share).

Analytics calls these; campaigns never imports analytics. Two shapes:

- `share_counters_update` sets the latest absolute values (a network's metrics
  snapshot, or a recount of clicks); None leaves a counter as it is.
- `share_clicks_add` adds newly counted clicks. The click flusher calls it in
  the same transaction that inserts the click rows, so a batch that is rolled
  back or delivered twice adds nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from django.db.models import F

from advocacy.tenancy.models import Organization

from .models import Share


def share_counters_update(
    *,
    organization: Organization,
    share_id: int,
    clicks: int | None = None,
    impressions: int | None = None,
    reactions: int | None = None,
    comments: int | None = None,
    reposts: int | None = None,
) -> bool:
    """Set the given counters of one share; returns False when the share is not this organization's."""
    given = dict(
        clicks=clicks,
        impressions=impressions,
        reactions=reactions,
        comments=comments,
        reposts=reposts,
    )
    values = {name: value for name, value in given.items() if value is not None}
    for name, value in values.items():
        if value < 0:
            raise ValueError(f"{name} cannot be negative")
    if not values:
        return Share.objects.for_org(organization).filter(pk=share_id).exists()
    return Share.objects.for_org(organization).filter(pk=share_id).update(**values) == 1


def share_clicks_add(*, organization: Organization, added: Mapping[int, int]) -> int:
    """Add clicks to shares ({share id: new clicks}); one UPDATE per distinct amount.

    Returns the number of shares updated (ids of other organizations are ignored)."""
    by_amount: dict[int, list[int]] = defaultdict(list)
    for share_id, amount in added.items():
        if amount < 0:
            raise ValueError("clicks cannot be taken away")
        if amount:
            by_amount[amount].append(share_id)
    updated = 0
    for amount, share_ids in by_amount.items():
        updated += (
            Share.objects.for_org(organization)
            .filter(pk__in=share_ids)
            .update(clicks=F("clicks") + amount)
        )
    return updated
