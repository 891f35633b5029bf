"""Reactions to other apps' events; registered when CampaignsConfig.ready() imports
this module."""

from __future__ import annotations

from advocacy import events
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization

from . import tasks
from .selectors import share_list
from .services.erasure import shares_erase_member
from .services.publishing import share_mirror_settled

# An advocate agreed that the company reposts their share: do it in a task.
# The consenting person goes along: only the share's owner may agree to its repost.
events.forward(events.ShareRepostRequested, tasks.repost_share, drop=["requested_by_id"])


@events.subscribe(events.ClickPointsRecountRequested)
def on_click_points_recount_requested(event: events.ClickPointsRecountRequested) -> None:
    """Report every share's clicks so far (the counters analytics keeps on the shares)."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        rows = (
            share_list(organization=organization)
            .filter(clicks__gt=0)
            .order_by("pk")
            .values_list("pk", "membership_id", "clicks")
        )
        totals = tuple(
            events.ShareClickTotal(share_id=pk, membership_id=member, clicks_total=clicks)
            for pk, member, clicks in rows
        )
    events.publish(events.ShareClickTotalsReported(organization_id=organization.pk, shares=totals))


@events.subscribe(events.PublicationSettled)
def on_publication_settled(event: events.PublicationSettled) -> None:
    """A lost publication was found (or not): its share says so now, not on the next round."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        share_mirror_settled(organization=organization, publication_id=event.publication_id)


@events.subscribe(events.AccountErased)
def on_account_erased(event: events.AccountErased) -> None:
    """A person deleted their account: their unsent posts are cancelled and emptied."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        shares_erase_member(
            organization=organization, membership_id=event.membership_id, user_id=event.user_id
        )
