"""Celery tasks of the content library: ids in, the organization's context entered by
OrgTask, a service does the work. All are safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from advocacy.tenancy.context import org_context, system_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import OrgTask, enqueue_on_commit, task_organization

from . import services
from .models import ContentItem, FeedSource

FEED_POLL_INTERVAL = datetime.timedelta(minutes=30)


@shared_task(
    base=OrgTask, acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90
)
def content_preview_fetch_task(*, organization_id: int, content_id: int) -> None:
    services.content_preview_fetch(organization=task_organization(), content_id=content_id)


@shared_task(
    base=OrgTask, acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90
)
def feed_source_poll_task(*, organization_id: int, source_id: int) -> int:
    return services.feed_source_poll(organization=task_organization(), source_id=source_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def feeds_poll_due() -> int:
    """Beat: queue a poll for every active feed not polled in the last half hour."""
    cutoff = timezone.now() - FEED_POLL_INTERVAL
    with system_context("content library: find feeds due for polling"):
        due = list(
            FeedSource.objects.filter(is_active=True, organization__is_active=True)
            .filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=cutoff))
            .values_list("organization_id", "id")
        )
    for organization_id, source_id in due:
        enqueue_on_commit(
            feed_source_poll_task, organization_id=organization_id, source_id=source_id
        )
    return len(due)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def content_expire_due() -> int:
    """Beat: archive approved items past their expiry date, organization by organization."""
    now = timezone.now()
    with system_context("content library: find expired items"):
        organization_ids = set(
            ContentItem.objects.filter(
                status=ContentItem.Status.APPROVED, expires_at__lte=now
            ).values_list("organization_id", flat=True)
        )
        organizations = list(Organization.objects.filter(pk__in=organization_ids, is_active=True))
    archived = 0
    for organization in organizations:
        with org_context(organization):
            archived += services.content_expire_due(organization=organization, now=now)
    return archived
