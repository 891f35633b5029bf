"""What analytics does when other apps publish events (registered in AnalyticsConfig.ready())."""

from __future__ import annotations

from advocacy import events
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization
from analytics.conversions.tasks import conversion_webhook_task
from analytics.conversions.webhooks import delivery_create
from analytics.engagement.polling import schedules_pause_for_connection
from analytics.models import PollSchedule
from analytics.rollups.shares import share_count
from analytics.tasks import schedule_share_task


def on_share_published(event: events.SharePublished) -> None:
    """Count the share in the rollups (once, however often the event comes), and start
    polling it in a worker."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        share_count(organization=organization, share_id=event.share_id)
    schedule_share_task.delay(organization_id=event.organization_id, share_id=event.share_id)


def on_conversion_recorded(event: events.ConversionRecorded) -> None:
    """Hand the conversion to the organization's CRM webhook (once), in a worker."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        delivery = delivery_create(organization=organization, conversion_id=event.conversion_id)
    if delivery is not None:
        conversion_webhook_task.delay(organization_id=organization.pk, delivery_id=delivery.pk)


def on_share_deleted(event: events.ShareDeleted) -> None:
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        PollSchedule.objects.for_org(organization).filter(share_id=event.share_id).exclude(
            state=PollSchedule.State.NOT_POLLED
        ).update(
            state=PollSchedule.State.DONE, next_poll_at=None, last_error="The share was deleted."
        )


def on_connection_needs_reconnect(event: events.SocialConnectionNeedsReconnect) -> None:
    """Pause at once; the scheduler resumes the rows when the account works again."""
    organization = Organization.objects.filter(pk=event.organization_id).first()
    if organization is None:
        return
    with org_context(organization):
        schedules_pause_for_connection(
            organization=organization,
            connection_id=event.connection_id,
            reason="This account needs reconnecting.",
        )
