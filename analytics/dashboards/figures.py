"""What every dashboard page reads: the filters, the rollup that answers them and the
figures derived from summed rollup rows (never the raw clicks).

Filters pick the smallest rollup that answers them:

- nothing, or only dates → (org, day)            `OrgDaily`
- a campaign              → (org, day, campaign)  `CampaignDaily`
- a network               → (org, day, network)   `NetworkDaily`
- anything with people (a team, a manager's tree, one advocate) or two filters
  at once → (org, day, advocate, campaign, network) `SegmentDaily`
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, Organization, Team
from advocacy.tenancy.permissions import MANAGER
from advocacy.tenancy.selectors import membership_tree_ids, team_tree_ids
from analytics.models import CampaignDaily, NetworkDaily, OrgDaily, SegmentDaily
from analytics.rollups.facts import METRICS
from campaigns.models import Campaign

SUMS = {name: Sum(name) for name in METRICS}
NETWORK_LABELS = {
    "linkedin": "LinkedIn",
    "x": "X",
    "facebook": "Facebook",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "whatsapp": "WhatsApp",
    "email": _("Email"),
    "copy": _("Copied link"),
    "web_share": _("Phone share sheet"),
}


@dataclass
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    team: Team | None = None
    campaign: Campaign | None = None
    network: str = ""
    # None: everyone in the organization; otherwise the advocates in view.
    member_ids: set[int] | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        length = datetime.timedelta(days=self.days)
        return Filters(
            self.start - length,
            self.start - datetime.timedelta(days=1),
            self.team,
            self.campaign,
            self.network,
            self.member_ids,
        )


def scope_members(
    *, organization: Organization, viewer: Membership, team: Team | None
) -> set[int] | None:
    """The advocates a viewer may see with a team filter: admins and curators everyone,
    managers their own tree only."""
    members: set[int] | None = None
    if viewer.role == MANAGER:
        members = membership_tree_ids(organization=organization, manager=viewer)
    if team is not None:
        teams = team_tree_ids(organization=organization, root=team)
        in_team = set(
            Membership.objects.for_org(organization)
            .filter(team_id__in=teams)
            .values_list("id", flat=True)
        )
        members = in_team if members is None else members & in_team
    return members


def daily_source(organization: Organization, filters: Filters) -> QuerySet:
    """Rows of the smallest daily rollup that answers the filters, already filtered."""
    by_day = {"day__gte": filters.start, "day__lte": filters.end}
    simple = filters.member_ids is None
    if simple and not filters.campaign and not filters.network:
        return OrgDaily.objects.for_org(organization).filter(**by_day)
    if simple and filters.campaign and not filters.network:
        return CampaignDaily.objects.for_org(organization).filter(
            campaign=filters.campaign, **by_day
        )
    if simple and filters.network and not filters.campaign:
        return NetworkDaily.objects.for_org(organization).filter(network=filters.network, **by_day)
    return segment_rows(organization, filters)


def segment_rows(organization: Organization, filters: Filters) -> QuerySet:
    rows = SegmentDaily.objects.for_org(organization).filter(
        day__gte=filters.start, day__lte=filters.end
    )
    if filters.member_ids is not None:
        rows = rows.filter(membership_id__in=sorted(filters.member_ids))
    if filters.campaign:
        rows = rows.filter(campaign_key=filters.campaign.pk)
    if filters.network:
        rows = rows.filter(network=filters.network)
    return rows


def clean(sums: dict) -> dict:
    """Every metric of a summed rollup row, 0 where nothing was summed."""
    return {name: (sums.get(name) or 0) for name in METRICS}


def totals(organization: Organization, filters: Filters) -> dict:
    return clean(daily_source(organization, filters).aggregate(**SUMS))


def active_advocates(organization: Organization, filters: Filters) -> int:
    # `shares > 0` is the condition of the partial index `segmentdaily_sharers`: keep the
    # two alike, or this reads every segment row of the period again.
    return (
        segment_rows(organization, filters)
        .filter(shares__gt=0)
        .values("membership_id")
        .distinct()
        .count()
    )


def enrolled(organization: Organization, filters: Filters) -> int:
    """Advocates enrolled in the program: active members (of the team or tree in view)."""
    members = Membership.objects.for_org(organization).filter(is_active=True)
    if filters.member_ids is not None:
        members = members.filter(pk__in=sorted(filters.member_ids))
    return members.count()


def ratio(numerator, denominator) -> float | None:
    return None if not denominator else float(numerator) / float(denominator)


def engagements(row: dict) -> int:
    return row["reactions"] + row["comments"] + row["reposts"]


def sentiment(row: dict) -> float | None:
    return (
        None
        if not row["sentiment_count"]
        else round(row["sentiment_sum"] / 1000 / row["sentiment_count"], 3)
    )


def headline(organization: Organization, filters: Filters) -> dict:
    row = totals(organization, filters)
    active = active_advocates(organization, filters)
    people = enrolled(organization, filters)
    engaged = engagements(row)
    return {
        **row,
        "active_advocates": active,
        "enrolled": people,
        "participation_rate": ratio(active, people),
        "engagements": engaged,
        "engagement_rate": ratio(engaged, row["impressions"]),
        "clicks_per_share": ratio(row["clicks"], row["shares"]),
        "conversion_rate": ratio(row["conversions"], row["unique_clicks"]),
        "sentiment": sentiment(row),
    }


# --- pages -----------------------------------------------------------------------------------


def network_rows(organization: Organization, filters: Filters) -> list[dict]:
    if filters.member_ids is None and not filters.campaign:
        source = NetworkDaily.objects.for_org(organization).filter(
            day__gte=filters.start, day__lte=filters.end
        )
        if filters.network:
            source = source.filter(network=filters.network)
    else:
        source = segment_rows(organization, filters)
    return [
        {**clean(row), "network": row["network"]}
        for row in source.values("network").annotate(**SUMS).order_by("network")
    ]
