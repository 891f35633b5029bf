"""The Celery task base for work done for one organization.

Tasks take ids, never model instances: `organization_id` is a required
keyword, the task runs inside that organization's context, and callers
enqueue with `enqueue_on_commit` so a task never sees uncommitted rows.
"""

from __future__ import annotations

from celery import Task
from django.db import transaction

from .context import org_context
from .models import Organization


class OrgTask(Task):
    abstract = True

    def __call__(self, *args, **kwargs):
        organization_id = kwargs.get("organization_id")
        if organization_id is None:
            raise TypeError(f"{self.name} needs organization_id=")
        organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
        if organization is None:
            return None  # the organization is gone; nothing to do for it
        with org_context(organization):
            return super().__call__(*args, **kwargs)


def enqueue_on_commit(task, /, **kwargs) -> None:
    transaction.on_commit(lambda: task.delay(**kwargs))
