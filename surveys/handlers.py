"""Reactions to other apps' events; registered when SurveysConfig.ready() imports this
module."""

from __future__ import annotations

from advocacy import events
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization

from .services.erasure import one_on_ones_erase_member


@events.subscribe(events.AccountErased)
def on_account_erased(event: events.AccountErased) -> None:
    """A person deleted their account: their private 1:1 notes and topics go."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        one_on_ones_erase_member(organization=organization, membership_id=event.membership_id)
