"""The Celery task base for work done for one organization.

Tasks take ids, never model instances: `organization_id` is a required
keyword, the task runs inside that organization's context, and callers
enqueue with `enqueue_on_commit` so a task never sees uncommitted rows.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from advocacy.taskbase import ChorusTask

from .context import current_org, org_context
from .models import Organization


class OrgTask(ChorusTask):
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


def task_organization() -> Organization:
    """The organization `OrgTask` loaded (active, by `organization_id=`) and entered for the
    running task: a task hands it to its service instead of reading it again."""
    organization = current_org()
    if organization is None:
        raise RuntimeError("task_organization() is for tasks running on OrgTask")
    return organization


def enqueue_on_commit(task, /, **kwargs) -> None:
    transaction.on_commit(lambda: task.delay(**kwargs))


# --- people -----------------------------------------------------------------

WELCOME_BATCH = 200


@shared_task(
    base=OrgTask, acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660
)
def directory_import_task(*, organization_id: int, job_id: int) -> None:
    from .directory_import import RowError, _finish, import_job_run
    from .models import ImportJob

    organization = task_organization()
    job = ImportJob.objects.for_org(organization).filter(pk=job_id).first()
    if job is None:
        return
    try:
        outcome = import_job_run(organization=organization, job=job)
    except Exception:
        job.refresh_from_db()
        _finish(job, errors=[RowError(0, "unexpected")])
        raise
    if outcome and job.send_welcome and outcome.new_user_ids:
        ids = sorted(outcome.new_user_ids)
        for start in range(0, len(ids), WELCOME_BATCH):
            enqueue_on_commit(
                welcome_emails_task,
                organization_id=organization_id,
                user_ids=ids[start : start + WELCOME_BATCH],
            )


@shared_task(base=OrgTask, acks_late=True, reject_on_worker_lost=True)
def welcome_emails_task(*, organization_id: int, user_ids: list[int]) -> int:
    """A link to set a password, for people an import brought in. Someone who already
    signed in (a usable password) is skipped, so a rerun sends nothing twice."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from .emails import absolute_url, build_email, recipient_language, send_all
    from .models import Membership

    organization = task_organization()
    members = set(
        Membership.objects.for_org(organization)
        .filter(user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    messages = []
    for user in get_user_model().objects.filter(pk__in=members, last_login__isnull=True):
        if user.has_usable_password():
            continue
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
        messages.append(
            build_email(
                to=user.email,
                template="welcome",
                language=recipient_language(organization=organization, user=user),
                context={"organization": organization, "user": user, "url": absolute_url(path)},
            )
        )
    return send_all(messages)
