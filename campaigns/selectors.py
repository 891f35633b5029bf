"""Reads of campaigns and shares. Every function takes `organization=` and reads only its rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from advocacy.tenancy.models import Membership, Organization
from content_library.models import ContentItem
from content_library.selectors import content_feed, team_with_ancestor_ids

from .models import Campaign, CampaignAudience, CampaignItem, CampaignSettings, Share, TrackedLink

FEED_PAGE_SIZE = 20


# --- settings ------------------------------------------------------------------


def campaign_settings_get(*, organization: Organization) -> CampaignSettings:
    """The organization's sharing settings (unsaved defaults when never configured)."""
    return CampaignSettings.objects.for_org(organization).first() or CampaignSettings(
        organization=organization
    )


# --- campaigns -------------------------------------------------------------------


def campaign_list(*, organization: Organization, status: str = "") -> QuerySet[Campaign]:
    campaigns = Campaign.objects.for_org(organization).annotate(
        item_count=Count("items", distinct=True),
        share_count=Count(
            "shares", filter=~Q(shares__status=Share.Status.CANCELLED), distinct=True
        ),
    )
    return campaigns.filter(status=status) if status else campaigns


def campaign_get(*, organization: Organization, pk: int) -> Campaign | None:
    return Campaign.objects.for_org(organization).filter(pk=pk).first()


def campaign_items(*, organization: Organization, campaign: Campaign) -> list[ContentItem]:
    rows = (
        CampaignItem.objects.for_org(organization)
        .filter(campaign=campaign)
        .select_related("content")
    )
    return [row.content for row in rows]


def campaign_results(*, organization: Organization, campaign: Campaign) -> dict:
    """Progress toward the goal: shares, advocates and clicks so far."""
    shares = (
        Share.objects.for_org(organization)
        .filter(campaign=campaign)
        .exclude(status__in=[Share.Status.CANCELLED, Share.Status.FAILED])
    )
    totals = shares.aggregate(
        shares=Count("id"), advocates=Count("membership", distinct=True), clicks=Sum("clicks")
    )
    clicks = totals["clicks"] or 0
    goal = campaign.goal_clicks
    return {
        "shares": totals["shares"],
        "advocates": totals["advocates"],
        "clicks": clicks,
        "goal": goal,
        "percent": min(100, round(100 * clicks / goal)) if goal else None,
    }


@dataclass(frozen=True)
class AudienceRules:
    """A campaign's audience, evaluated in memory so one query serves many campaigns."""

    team_ids: frozenset[int] = frozenset()
    locations: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()

    @property
    def everyone(self) -> bool:
        return not (self.team_ids or self.locations or self.roles)

    def includes(self, membership: Membership, member_team_ids: set[int]) -> bool:
        return (
            self.everyone
            or bool(self.team_ids & member_team_ids)
            or (membership.location or "").casefold() in self.locations
            or membership.role in self.roles
        )


def audience_rules(
    *, organization: Organization, campaign_ids: Iterable[int]
) -> dict[int, AudienceRules]:
    collected: dict[int, dict[str, set]] = {}
    rows = CampaignAudience.objects.for_org(organization).filter(campaign_id__in=list(campaign_ids))
    for campaign_id, team_id, location, role in rows.values_list(
        "campaign_id", "team_id", "location", "role"
    ):
        bucket = collected.setdefault(
            campaign_id, {"team_ids": set(), "locations": set(), "roles": set()}
        )
        if team_id:
            bucket["team_ids"].add(team_id)
        if location:
            bucket["locations"].add(location.casefold())
        if role:
            bucket["roles"].add(role)
    return {
        campaign_id: AudienceRules(**{key: frozenset(values) for key, values in bucket.items()})
        for campaign_id, bucket in collected.items()
    }


def campaigns_for_member(
    *,
    organization: Organization,
    membership: Membership,
    statuses: Iterable[str] = (Campaign.Status.ACTIVE,),
) -> list[Campaign]:
    """Campaigns whose audience includes the member. A fixed number of queries."""
    campaigns = list(Campaign.objects.for_org(organization).filter(status__in=list(statuses)))
    if not campaigns:
        return []
    rules = audience_rules(organization=organization, campaign_ids=[c.pk for c in campaigns])
    member_teams = team_with_ancestor_ids(organization=organization, team_id=membership.team_id)
    return [
        c for c in campaigns if rules.get(c.pk, AudienceRules()).includes(membership, member_teams)
    ]


def campaign_audience_members(
    *, organization: Organization, campaign: Campaign
) -> list[Membership]:
    """Active members a campaign speaks to (for announcements)."""
    rules = audience_rules(organization=organization, campaign_ids=[campaign.pk]).get(
        campaign.pk, AudienceRules()
    )
    members = Membership.objects.for_org(organization).filter(is_active=True).select_related("user")
    if rules.everyone:
        return list(members)
    return [
        member
        for member in members
        if rules.includes(
            member, team_with_ancestor_ids(organization=organization, team_id=member.team_id)
        )
    ]


# --- the employee feed ---------------------------------------------------------------


@dataclass
class FeedCard:
    content: ContentItem
    campaigns: list[Campaign] = field(default_factory=list)
    shared_channels: list[str] = field(default_factory=list)

    @property
    def suggested_caption(self) -> str:
        captions = list(self.content.captions.all())  # prefetched by content_feed
        generic = [c.text for c in captions if not c.network]
        return (generic or [c.text for c in captions] or [self.content.title])[0]


@dataclass
class FeedPage:
    cards: list[FeedCard]
    next_page: int | None


def employee_feed(
    *,
    organization: Organization,
    membership: Membership,
    page: int = 1,
    language: str | None = None,
    campaigns: list[Campaign] | None = None,
) -> FeedPage:
    """One page of what the employee may share: the content library's feed for them
    (audience, language, featured first), with their active campaigns marked and what
    they already shared. The number of queries does not depend on the number of items."""
    page = max(1, page)
    start = (page - 1) * FEED_PAGE_SIZE
    items = list(
        content_feed(organization=organization, membership=membership, language=language)[
            start : start + FEED_PAGE_SIZE + 1
        ]
    )
    has_more = len(items) > FEED_PAGE_SIZE
    items = items[:FEED_PAGE_SIZE]
    cards = {item.pk: FeedCard(content=item) for item in items}
    if not cards:
        return FeedPage(cards=[], next_page=None)
    if campaigns is None:
        campaigns = campaigns_for_member(organization=organization, membership=membership)
    by_id = {c.pk: c for c in campaigns}
    if by_id:
        in_campaigns = CampaignItem.objects.for_org(organization).filter(
            campaign_id__in=list(by_id), content_id__in=list(cards)
        )
        for content_id, campaign_id in in_campaigns.values_list("content_id", "campaign_id"):
            cards[content_id].campaigns.append(by_id[campaign_id])
    mine = (
        Share.objects.for_org(organization)
        .filter(membership=membership, content_id__in=list(cards))
        .exclude(status__in=[Share.Status.CANCELLED, Share.Status.FAILED])
        .order_by()
        .values_list("content_id", "channel")
        .distinct()
    )
    for content_id, channel in mine:
        cards[content_id].shared_channels.append(channel)
    return FeedPage(cards=list(cards.values()), next_page=page + 1 if has_more else None)


def active_campaign_for_content(
    *, organization: Organization, membership: Membership, content: ContentItem
) -> Campaign | None:
    """The campaign a share of this item counts toward (the newest active one it belongs to)."""
    campaigns = campaigns_for_member(organization=organization, membership=membership)
    if not campaigns:
        return None
    ids = set(
        CampaignItem.objects.for_org(organization)
        .filter(content=content, campaign_id__in=[c.pk for c in campaigns])
        .values_list("campaign_id", flat=True)
    )
    return next((c for c in campaigns if c.pk in ids), None)


def shareable_content_get(
    *, organization: Organization, membership: Membership, pk: int
) -> ContentItem | None:
    """An item the member may share now: in their feed (approved, published, unexpired, their audience)."""
    return content_feed(organization=organization, membership=membership).filter(pk=pk).first()


# --- shares ----------------------------------------------------------------------------


def _with_links(shares: QuerySet[Share], organization: Organization) -> QuerySet[Share]:
    return shares.select_related(
        "content", "campaign", "connection", "publication"
    ).prefetch_related(Prefetch("links", queryset=TrackedLink.objects.for_org(organization)))


def share_list(
    *, organization: Organization, membership: Membership | None = None, status: str = ""
) -> QuerySet[Share]:
    shares = Share.objects.for_org(organization)
    if membership is not None:
        shares = shares.filter(membership=membership)
    if status:
        shares = shares.filter(status=status)
    return _with_links(shares, organization)


def failed_share_list(*, organization: Organization) -> QuerySet[Share]:
    """Shares that could not be published, for the admins to follow up."""
    shares = (
        Share.objects.for_org(organization)
        .filter(status=Share.Status.FAILED)
        .order_by("-status_changed_at")
    )
    return _with_links(shares, organization).select_related("membership__user")


def share_get(
    *, organization: Organization, pk: int, membership: Membership | None = None
) -> Share | None:
    shares = Share.objects.for_org(organization).filter(pk=pk)
    if membership is not None:
        shares = shares.filter(membership=membership)
    return _with_links(shares, organization).first()


def shares_waiting_for_check(*, organization: Organization, membership: Membership) -> list[Share]:
    """The member's shares whose post only they can confirm (the network cannot be asked)."""
    return list(
        Share.objects.for_org(organization)
        .filter(
            membership=membership,
            status=Share.Status.UNKNOWN,
            publication__needs_manual_check=True,
        )
        .order_by("-status_changed_at")[:20]
    )
