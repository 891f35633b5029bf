"""Retention: raw clicks and metric snapshots older than the organization keeps them
go, the rollups stay exactly as they were, and a rebuild after the purge gives them back
whole. Owners set it; nobody else can."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.audit.models import AuditEntry
from advocacy.privacy.models import RetentionPolicy
from advocacy.privacy.services import retention_policy_set
from analytics.models import ClickEvent, MetricSnapshot, OrgDaily
from analytics.rollups.rebuild import rollups_rebuild
from analytics.rollups.retention import retention_purge
from analytics.tasks import retention_purge_task
from tests.analytics.factories import tracked_link_for
from tests.analytics.rollup_support import rollup_rows

pytestmark = pytest.mark.django_db

NOW = timezone.now()
_ids = itertools.count()


def clicks(link, days_ago, *, humans=0, bots=0):
    for is_bot, count in ((False, humans), (True, bots)):
        for _ in range(count):
            n = next(_ids)
            ClickEvent.objects.create(
                organization=link.organization,
                link=link,
                share=link.share,
                click_id=f"c{n:010d}",
                clicked_at=NOW - dt.timedelta(days=days_ago, minutes=n),
                visitor_hash=f"v{n}",
                is_bot=is_bot,
                is_unique=not is_bot and n % 2 == 0,
            )


def snapshot(share, slot, days_ago, **metrics):
    MetricSnapshot.objects.create(
        organization=share.organization,
        share=share,
        slot=slot,
        taken_at=NOW - dt.timedelta(days=days_ago),
        **metrics,
    )


@pytest.fixture
def history(org_a):
    """Four months of raw data over two shares, and rollups computed from all of it."""
    org_a.timezone = "Asia/Jakarta"
    org_a.save(update_fields=["timezone"])
    first, second = tracked_link_for(org_a), tracked_link_for(org_a)
    for share in (first.share, second.share):
        share.published_at = NOW - dt.timedelta(days=120)
        share.save(update_fields=["published_at"])
    for days_ago in (119, 100, 95, 61, 40, 3):
        clicks(first, days_ago, humans=3, bots=1)
        clicks(second, days_ago, humans=1)
    # impressions grow; LinkedIn-like networks report no reach (None, never 0)
    for slot, (days_ago, impressions) in enumerate([(118, 50), (110, 80), (70, 200), (20, 260)]):
        snapshot(first.share, slot, days_ago, impressions=impressions, reactions=slot, reach=None)
    for slot, (days_ago, impressions) in enumerate([(115, 10), (100, 30)]):  # all of it old
        snapshot(second.share, slot, days_ago, impressions=impressions, reactions=1)
    rollups_rebuild(organization=org_a)
    return first, second


def test_purge_deletes_old_raw_rows_and_rollups_stay_exact_even_after_a_rebuild(org_a, history):
    before = rollup_rows(org_a)
    total_clicks = sum(row.clicks for row in OrgDaily.objects.for_org(org_a))
    assert total_clicks == 6 * 4

    done = retention_purge(
        organization=org_a, raw_clicks_days=90, metric_snapshots_days=60, now=NOW
    )

    assert done == {"clicks": 3 * 5, "snapshots": 3 + 2}
    assert ClickEvent.objects.for_org(org_a).count() == 3 * 5
    assert (
        not ClickEvent.objects.for_org(org_a)
        .filter(clicked_at__lt=NOW - dt.timedelta(days=91))
        .exists()
    )
    assert MetricSnapshot.objects.for_org(org_a).count() == 1  # the 20-day-old one
    assert rollup_rows(org_a) == before  # the purge never touches the rollups

    rollups_rebuild(organization=org_a)  # from what raw data is left, plus what was purged
    assert rollup_rows(org_a) == before

    # a second night purges nothing new and changes nothing
    retention_purge(organization=org_a, raw_clicks_days=90, metric_snapshots_days=60, now=NOW)
    rollups_rebuild(organization=org_a)
    assert rollup_rows(org_a) == before


def test_a_later_purge_of_more_days_keeps_the_rollups_exact_too(org_a, history):
    before = rollup_rows(org_a)
    retention_purge(organization=org_a, raw_clicks_days=110, metric_snapshots_days=112, now=NOW)
    retention_purge(organization=org_a, raw_clicks_days=30, metric_snapshots_days=30, now=NOW)
    rollups_rebuild(organization=org_a)
    assert rollup_rows(org_a) == before


def test_the_nightly_job_purges_only_organizations_that_limit_retention(
    org_a, org_b, member_factory, history
):
    owner = member_factory(org_a, "owner")
    link_b = tracked_link_for(org_b)
    clicks(link_b, 200, humans=2)
    retention_policy_set(
        organization=org_a, actor=owner, raw_clicks_days=30, metric_snapshots_days=None
    )
    assert retention_purge_task() == 1
    assert ClickEvent.objects.for_org(org_a).count() == 4 + 1  # only the 3-day-old clicks
    assert MetricSnapshot.objects.for_org(org_a).count() == 6  # snapshots kept for good
    assert ClickEvent.objects.for_org(org_b).count() == 2  # the other organization keeps all


def test_only_owners_set_retention_with_a_floor_and_it_is_audited(
    web, org_a, admin_a, member_factory
):
    owner = member_factory(org_a, "owner")
    page = reverse("privacy:organization", kwargs={"org_slug": org_a.slug})
    data = {"action": "retention", "raw_clicks_days": "90", "metric_snapshots_days": ""}
    assert web.as_member(admin_a).post(page, data).status_code == 403
    response = web.as_member(owner).post(page, {**data, "raw_clicks_days": "7"})
    assert response.status_code == 400 and "at least 30 days" in response.content.decode()
    assert not RetentionPolicy.objects.exists()
    web.post(page, data)
    policy = RetentionPolicy.objects.for_org(org_a).get()
    assert (policy.raw_clicks_days, policy.metric_snapshots_days) == (90, None)
    entry = AuditEntry.objects.for_org(org_a).get(action="retention.changed")
    assert entry.details == {"raw_clicks_days": 90, "metric_snapshots_days": None}
