"""Counting a share in the rollups when it goes out (from `SharePublished`), exactly once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from advocacy.tenancy.models import Organization
from analytics.models import CountedShare
from analytics.rollups.facts import Fact, share_metrics
from analytics.rollups.writers import rollups_add
from analytics.sql import insert_on_conflict
from campaigns.models import Share

# Shares that went out: published through a connection, or shared by the advocate's hand.
COUNTED_SHARES = (Share.Status.PUBLISHED, Share.Status.SHARED_BY_HAND)


def shares_mark_counted(*, organization: Organization, share_ids: Iterable[int]) -> set[int]:
    """Mark shares as counted; returns the ids that were not marked before."""
    rows = [(organization.pk, share_id) for share_id in sorted(set(share_ids))]
    inserted = insert_on_conflict(
        CountedShare._meta.db_table,
        ["organization_id", "share_id"],
        rows,
        conflict=["organization_id", "share_id"],
        returning=["share_id"],
    )
    return {share_id for (share_id,) in inserted}


def share_count(*, organization: Organization, share_id: int) -> bool:
    """Count a share that went out (shares, potential reach) on its local day; True when
    this call counted it. A second delivery of the same event changes nothing."""
    share = (
        Share.objects.for_org(organization)
        .filter(pk=share_id, status__in=COUNTED_SHARES, published_at__isnull=False)
        .values_list("published_at", "followers_at_share")
        .first()
    )
    if share is None:
        return False
    with transaction.atomic():
        if not shares_mark_counted(organization=organization, share_ids=[share_id]):
            return False
        published_at, followers = share
        rollups_add([Fact(share_id, published_at, share_metrics(followers=followers))])
    return True
