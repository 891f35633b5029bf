"""Celery task of the conversion webhook (registered through `analytics.tasks`)."""

from __future__ import annotations

from celery import shared_task

from advocacy.tenancy.tasks import OrgTask, task_organization
from analytics.conversions.webhooks import delivery_attempt
from analytics.models import WebhookDelivery


@shared_task(
    base=OrgTask,
    name="analytics.conversion_webhook",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30,
    time_limit=45,
)
def conversion_webhook_task(*, organization_id: int, delivery_id: int) -> bool:
    """One attempt to POST a conversion to the CRM. A failure is tried again later by
    `webhook_retries` (backoff with jitter, kept in the database), then left failed."""
    organization = task_organization()
    delivery = WebhookDelivery.objects.for_org(organization).filter(pk=delivery_id).first()
    if delivery is None:
        return False
    return delivery_attempt(organization=organization, delivery=delivery)
