from __future__ import annotations

from celery import shared_task

from advocacy.taskbase import ChorusTask
from advocacy.tenancy.tasks import OrgTask, task_organization

from . import services


@shared_task(
    base=OrgTask,
    name="privacy.data_export",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=1800,
    time_limit=1900,
)
def data_export_task(*, organization_id: int, export_id: int) -> None:
    services.export_run(organization=task_organization(), export_id=export_id)


@shared_task(
    base=ChorusTask,
    name="privacy.organization_deletions_due",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=3000,
    time_limit=3300,
)
def organization_deletions_due_task() -> int:
    return services.organization_deletions_due()


@shared_task(
    base=ChorusTask,
    name="privacy.exports_expire",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def exports_expire_task() -> int:
    return services.exports_expire()
