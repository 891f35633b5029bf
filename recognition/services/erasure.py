"""A person deleted their account (`AccountErased`): what recognition holds about them.

Their recognition preferences become the most private ones (off public leaderboards
and the outside feed, no newsletter), so an erased member never appears outside Chorus
even as "a former member"; the comments and reactions they wrote are removed. The
ledger, badges and shout-outs stay for the organization's totals, pointing at a
membership that no longer names anyone. Idempotent."""

from __future__ import annotations

from django.db import transaction

from advocacy.tenancy.models import Organization

from ..models import Comment, Reaction, RecognitionPreference


@transaction.atomic
def recognition_erase_member(*, organization: Organization, membership_id: int) -> None:
    RecognitionPreference.objects.for_org(organization).update_or_create(
        organization=organization,
        membership_id=membership_id,
        defaults={"show_on_leaderboards": False, "receive_newsletter": False},
    )
    Comment.objects.for_org(organization).filter(author_id=membership_id).delete()
    Reaction.objects.for_org(organization).filter(membership_id=membership_id).delete()
