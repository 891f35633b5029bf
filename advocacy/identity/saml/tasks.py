"""The SAML metadata fetch, off the web request (issue 15: no fetch runs inside a request)."""

from __future__ import annotations

from celery import shared_task

from advocacy.tenancy.tasks import OrgTask, task_organization


@shared_task(
    base=OrgTask,
    name="identity.saml_metadata_fetch",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def saml_metadata_fetch_task(*, organization_id: int, connection_id: int, url: str) -> str:
    from .services import saml_metadata_load

    return saml_metadata_load(
        organization=task_organization(), connection_id=connection_id, url=url
    )
