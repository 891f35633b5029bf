"""A person deleted their account (`AccountErased`): what campaigns holds in their words.

Posts that never went out are their drafts: the scheduled and waiting ones are
cancelled (nothing is published for someone who left) and the text of every unsent
one is emptied. Published shares stay for the organization's totals; their text is
on the network, and the person got the list of them to remove there. Campaigns they
created stay (the organization's work) but no longer name them. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from advocacy.tenancy.models import Organization

from ..models import Campaign, Share

UNSENT = (
    Share.Status.SCHEDULED,
    Share.Status.PENDING,
    Share.Status.FAILED,
    Share.Status.CANCELLED,
)
NOT_STARTED = (Share.Status.SCHEDULED, Share.Status.PENDING)


@transaction.atomic
def shares_erase_member(*, organization: Organization, membership_id: int, user_id: int) -> int:
    shares = Share.objects.for_org(organization).filter(membership_id=membership_id)
    shares.filter(status__in=NOT_STARTED).update(
        status=Share.Status.CANCELLED, status_changed_at=timezone.now(), scheduled_at=None
    )
    erased = shares.filter(status__in=UNSENT).exclude(text="").update(text="")
    Campaign.objects.for_org(organization).filter(created_by_id=user_id).update(created_by=None)
    return erased
