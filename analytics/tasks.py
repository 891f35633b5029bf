"""Celery tasks of analytics."""

from __future__ import annotations

from celery import shared_task

from advocacy.privacy.services import retention_policies_with_limits
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import OrgTask, task_organization
from analytics.clicks.flush import flush_click_stream
from analytics.conversions.tasks import conversion_webhook_task
from analytics.conversions.webhooks import deliveries_due
from analytics.dashboards.benchmarks import platform_benchmarks_compute
from analytics.dashboards.reports import organizations_due_for_summary, weekly_summary_send
from analytics.engagement.polling import claim_due, poll_batch, schedule_for_share
from analytics.rollups.retention import retention_purge

__all__ = ["conversion_webhook_task"]  # registered here, where Celery looks for tasks


@shared_task(name="analytics.flush_clicks", queue="clicks", ignore_result=True, acks_late=True)
def flush_clicks() -> int:
    """Beat runs this every few seconds. It spans organizations (one stream for all),
    so it is not an OrgTask; it enters the audited system context per batch."""
    return flush_click_stream()


# --- engagement polling, conversions, reports (issue 7) ----------------------------------


@shared_task(
    name="analytics.poll_due", ignore_result=True, acks_late=True, soft_time_limit=60, time_limit=90
)
def poll_due() -> int:
    """Beat: take due poll schedules across organizations (system context) and hand
    each connection's batch to a worker. Returns the batches enqueued."""

    batches = claim_due()
    for organization_id, connection_id, schedule_ids in batches:
        poll_batch_task.delay(
            organization_id=organization_id, connection_id=connection_id, schedule_ids=schedule_ids
        )
    return len(batches)


@shared_task(
    base=OrgTask,
    name="analytics.poll_batch",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=150,
)
def poll_batch_task(*, organization_id: int, connection_id: int, schedule_ids: list[int]) -> dict:
    return poll_batch(
        organization=task_organization(), connection_id=connection_id, schedule_ids=schedule_ids
    )


@shared_task(
    base=OrgTask,
    name="analytics.schedule_share",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def schedule_share_task(*, organization_id: int, share_id: int) -> None:
    schedule_for_share(organization=task_organization(), share_id=share_id)


@shared_task(name="analytics.webhook_retries", ignore_result=True, acks_late=True)
def webhook_retries() -> int:
    """Beat, every minute: hand due retries to workers (across organizations)."""

    due = deliveries_due()
    for organization_id, delivery_id in due:
        conversion_webhook_task.delay(organization_id=organization_id, delivery_id=delivery_id)
    return len(due)


@shared_task(name="analytics.weekly_summaries", ignore_result=True, acks_late=True)
def weekly_summaries() -> int:
    """Beat, hourly: each organization's weekly summary goes out once, on Monday morning
    in its own time zone."""

    due = organizations_due_for_summary()
    for organization_id in due:
        weekly_summary_task.delay(organization_id=organization_id)
    return len(due)


@shared_task(
    base=OrgTask,
    name="analytics.weekly_summary",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def weekly_summary_task(*, organization_id: int) -> int:
    return weekly_summary_send(organization=task_organization())


@shared_task(name="analytics.platform_benchmarks", ignore_result=True, acks_late=True)
def platform_benchmarks() -> int:

    return platform_benchmarks_compute()


@shared_task(
    name="analytics.retention_purge",
    ignore_result=True,
    acks_late=True,
    soft_time_limit=3000,
    time_limit=3300,
)
def retention_purge_task() -> int:
    """Nightly: each organization that limits retention, in its own context."""
    done = 0
    for organization_id, clicks_days, snapshot_days in retention_policies_with_limits():
        organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
        if organization is None:
            continue
        with org_context(organization):
            retention_purge(
                organization=organization,
                raw_clicks_days=clicks_days,
                metric_snapshots_days=snapshot_days,
            )
        done += 1
    return done
