"""Rollups: the only thing dashboards read.

Every fact (a click, a share, a snapshot's difference, a comment, a conversion)
is added, in the transaction that stored it, to the rows that cover it:

- (org, day) `OrgDaily`, (org, day, campaign) `CampaignDaily`, (org, day, network)
  `NetworkDaily`, (org, month, advocate) `MemberMonthly`,
- (org, day, advocate, campaign, network) `SegmentDaily`, which answers filters
  that combine (a manager's team and one campaign),
- (org, day, content) `ContentDaily` for content performance,

with `INSERT ... ON CONFLICT DO UPDATE SET x = x + EXCLUDED.x`, so concurrent
writers add up instead of overwriting each other. Days are the organization's
own calendar days. `rollups_rebuild` recomputes an organization's rows from the
raw tables; a test checks it gives exactly what the incremental path gave.

The click engineer's `ClickDaily`/`CampaignClickDaily` (human and unique clicks)
are kept up to date too (`apply_clicks`).
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import connection, transaction

from advocacy.tenancy.models import Organization
from analytics.models import CampaignClickDaily, ClickDaily
from analytics.rollups.facts import Deltas, share_facts
from campaigns.models import Campaign

if TYPE_CHECKING:
    from analytics.clicks.record import Click


def _upsert(model, key_columns: Sequence[str], totals: dict[tuple, tuple[int, int]]) -> None:
    """Add to (clicks, unique_clicks) of each key's row, creating it when missing."""
    if not totals:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*key_columns, "clicks", "unique_clicks"]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    for key, (clicks, unique_clicks) in totals.items():
        params += [*key, clicks, unique_clicks]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(totals))} "  # noqa: S608 (constants; values are parameters)
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET "
        f"clicks = {table}.clicks + EXCLUDED.clicks, unique_clicks = {table}.unique_clicks + EXCLUDED.unique_clicks"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def apply_clicks(batch: Sequence[Click]) -> None:
    """Extend (organization, day) and (organization, day, campaign) by a batch of newly stored clicks."""
    if not batch:
        return
    zones = {
        org_id: zoneinfo.ZoneInfo(tz)
        for org_id, tz in Organization.objects.filter(
            pk__in={c.organization_id for c in batch}
        ).values_list("id", "timezone")
    }
    humans = [click for click in batch if not click.is_bot]
    if not humans:
        _apply_click_deltas(batch, zones)
        return
    campaigns = set(
        Campaign.objects.filter(
            pk__in={c.campaign_id for c in humans if c.campaign_id}
        ).values_list("id", flat=True)
    )
    adapt = connection.ops.adapt_datefield_value
    per_day: Counter = Counter()
    per_day_unique: Counter = Counter()
    per_campaign: Counter = Counter()
    per_campaign_unique: Counter = Counter()
    for click in humans:
        zone = zones.get(click.organization_id)
        if zone is None:
            continue
        day = adapt(click.clicked_at.astimezone(zone).date())
        per_day[(click.organization_id, day)] += 1
        per_day_unique[(click.organization_id, day)] += click.is_unique
        if click.campaign_id in campaigns:
            key = (click.organization_id, day, click.campaign_id)
            per_campaign[key] += 1
            per_campaign_unique[key] += click.is_unique
    _apply_click_deltas(batch, zones)
    _upsert(
        ClickDaily,
        ("organization_id", "day"),
        {k: (v, per_day_unique[k]) for k, v in per_day.items()},
    )
    _upsert(
        CampaignClickDaily,
        ("organization_id", "day", "campaign_id"),
        {k: (v, per_campaign_unique[k]) for k, v in per_campaign.items()},
    )


def _apply_click_deltas(batch: Sequence[Click], zones: dict) -> None:
    """Human, bot and unique clicks into every rollup, attributed through the share."""
    facts = share_facts(share_ids={click.share_id for click in batch})
    deltas = Deltas()
    for click in batch:
        fact = facts.get(click.share_id)
        zone = zones.get(click.organization_id)
        if fact is None or zone is None:
            continue
        day = click.clicked_at.astimezone(zone).date()
        if click.is_bot:
            deltas.add(fact, day, bot_clicks=1)
        else:
            deltas.add(fact, day, clicks=1, unique_clicks=int(click.is_unique))
    deltas.flush()


def rollups_rebuild(*, organization: Organization) -> None:
    """Recompute every rollup of one organization from the raw tables, in one transaction."""
    from analytics.rollups.rebuild import rebuild_organization

    with transaction.atomic():
        rebuild_organization(organization)
