"""Reactions to other apps' events; registered when RecognitionConfig.ready() imports
this module. Each event is forwarded to an idempotent task, so a duplicate event never
awards twice. `drop` names the fields a task has no use for."""

from __future__ import annotations

from advocacy import events
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization

from . import tasks
from .services.erasure import recognition_erase_member

events.forward(events.SharePublished, tasks.award_share, drop=["campaign_id"])
events.forward(events.ShareDeleted, tasks.record_share_deleted)
events.forward(events.ShareReposted, tasks.record_repost_outcome)
events.forward(events.ClicksCounted, tasks.award_clicks)
events.forward(events.ShareClickTotalsReported, tasks.recount_clicks)
events.forward(events.SelfClicksDetected, tasks.flag_self_clicks)
events.forward(events.CourseCompleted, tasks.award_course)
events.forward(events.TrainingCompleted, tasks.record_training_completed)
events.forward(events.PulseAnswered, tasks.award_pulse)


@events.subscribe(events.AccountErased)
def on_account_erased(event: events.AccountErased) -> None:
    """A person deleted their account: private preferences, their comments gone."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        recognition_erase_member(organization=organization, membership_id=event.membership_id)
