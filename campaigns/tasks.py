"""Celery tasks of campaigns: publish shares, advance campaigns as dates pass, announce them.

Due work lives in the database, never in long countdowns: beat runs the two
dispatchers every minute, and they hand one task per share or organization out.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advocacy.tenancy.context import org_context, system_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import OrgTask, enqueue_on_commit, task_organization

from .models import Campaign, Share
from .selectors import campaign_get

# A share handed out but still due this long after was lost with its task: hand it out again.
REDISPATCH_AFTER = datetime.timedelta(minutes=5)
DISPATCH_BATCH = 500


@shared_task(
    base=OrgTask, name="campaigns.publish_share", acks_late=True, reject_on_worker_lost=True
)
def publish_share(*, organization_id: int, share_id: int) -> str | None:
    from .services.publishing import share_publish

    share = share_publish(organization=task_organization(), share_id=share_id)
    return share.status if share else None


# A repost waiting out a rate limit or a lost answer is looked at again this often, this many times.
REPOST_RETRY_SECONDS = 300
REPOST_MAX_RETRIES = 12


@shared_task(
    base=OrgTask,
    bind=True,
    name="campaigns.repost_share",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=150,
)
def repost_share(
    self,
    *,
    organization_id: int,
    repost_request_id: int,
    share_id: int,
    membership_id: int | None = None,
) -> str:
    """Carry out a consented repost on the company account (idempotent per request)."""
    from .services.reposts import repost_carry_out, repost_give_up

    organization = task_organization()
    repost = repost_carry_out(
        organization=organization,
        repost_request_id=repost_request_id,
        share_id=share_id,
        consented_by_id=membership_id,
    )
    if repost.status == repost.Status.PENDING and not self.request.is_eager:
        if self.request.retries >= REPOST_MAX_RETRIES:
            return repost_give_up(organization=organization, repost=repost).status
        raise self.retry(countdown=REPOST_RETRY_SECONDS, max_retries=REPOST_MAX_RETRIES)
    return repost.status


@shared_task(name="campaigns.publish_due_shares", acks_late=True)
def publish_due_shares(limit: int = DISPATCH_BATCH) -> int:
    """Hand every due share (of every organization) to a worker. SKIP LOCKED lets two
    dispatchers run at once without handing out the same share twice."""
    from .services.publishing import due_shares_filter

    now = timezone.now()
    with system_context("dispatch due shares"), transaction.atomic():
        due = (
            Share.objects.filter(due_shares_filter(now))
            .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER))
            .select_for_update(skip_locked=True)
            .order_by("scheduled_at")
            .values_list("pk", "organization_id")[:limit]
        )
        rows = list(due)
        Share.objects.filter(pk__in=[pk for pk, _org in rows]).update(dispatched_at=now)
        for share_id, organization_id in rows:
            enqueue_on_commit(publish_share, organization_id=organization_id, share_id=share_id)
    return len(rows)


@shared_task(name="campaigns.advance_campaign_statuses", acks_late=True)
def advance_campaign_statuses() -> int:
    from .services import campaign_statuses_advance

    now = timezone.now()
    with system_context("advance campaign statuses"):
        organization_ids = set(
            Campaign.objects.filter(
                Q(status=Campaign.Status.SCHEDULED, starts_at__lte=now)
                | Q(
                    status__in=[Campaign.Status.SCHEDULED, Campaign.Status.ACTIVE], ends_at__lte=now
                )
            ).values_list("organization_id", flat=True)
        )
    changed = 0
    for organization in Organization.objects.filter(pk__in=organization_ids, is_active=True):
        with org_context(organization):
            result = campaign_statuses_advance(organization=organization, now=now)
            changed += result["started"] + result["ended"]
    return changed


@shared_task(base=OrgTask, name="campaigns.announce_campaign", acks_late=True)
def announce_campaign(*, organization_id: int, campaign_id: int) -> dict | None:
    from .services import campaign_announce

    organization = task_organization()
    campaign = campaign_get(organization=organization, pk=campaign_id)
    if campaign is None:
        return None
    return campaign_announce(organization=organization, campaign=campaign)
