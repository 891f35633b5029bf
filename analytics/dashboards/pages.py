"""What the dashboards show, read from the rollups only (never the raw clicks).

Each page function returns a `Page`: headline figures (cards) and tables; a
table may be drawn as a chart, and its numbers are always on the page and
exportable (CSV, XLSX). Filters pick the smallest rollup that answers them:

- nothing, or only dates → (org, day)            `OrgDaily`
- a campaign              → (org, day, campaign)  `CampaignDaily`
- a network               → (org, day, network)   `NetworkDaily`
- anything with people (a team, a manager's tree, one advocate) or two filters
  at once → (org, day, advocate, campaign, network) `SegmentDaily`
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from advocacy.tenancy.models import Membership, Organization, Team
from advocacy.tenancy.permissions import MANAGER
from advocacy.tenancy.selectors import membership_tree_ids, team_tree_ids
from analytics.models import (
    CampaignDaily,
    ContentDaily,
    MemberMonthly,
    NetworkDaily,
    OrgDaily,
    PlatformBenchmark,
    SegmentDaily,
)
from analytics.rollups.facts import METRICS
from analytics.selectors import DEFAULT_CPM, analytics_settings_get
from campaigns.models import Campaign
from content_library.selectors import content_list
from recognition.selectors import rewards_cost
from surveys.selectors import enps_trend

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
DAYS_PER_MONTH = Decimal("30.4375")


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


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"  # int | money | percent | float | text | date


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    chart: dict | None = None  # {"type": "line"|"bar", "x": key, "series": [keys]}
    note: str = ""
    # By row index, the kind of that row's figures in the columns of kind "float" (a table
    # mixing counts, averages and rates); and the words shown in a column where a figure
    # is None.
    row_kinds: dict[int, str] = field(default_factory=dict)
    blank: dict[str, str] = field(default_factory=dict)

    def cells(self) -> list[list[tuple[object, str]]]:
        """Rows with each value's kind, for formatting (pages and exports alike)."""
        shown = []
        for index, row in enumerate(self.rows):
            cells = []
            for value, column in zip(row, self.columns, strict=True):
                kind = column.kind
                if kind == "float" and index in self.row_kinds:
                    kind = self.row_kinds[index]
                if value is None and column.key in self.blank:
                    value, kind = str(self.blank[column.key]), "text"
                cells.append((value, kind))
            shown.append(cells)
        return shown

    def chart_data(self) -> dict | None:
        if not self.chart:
            return None
        index = {column.key: i for i, column in enumerate(self.columns)}
        x = index[self.chart["x"]]
        return {
            "type": self.chart.get("type", "line"),
            "labels": [str(row[x]) for row in self.rows],
            "datasets": [
                {
                    "label": str(self.columns[index[key]].label),
                    "data": [
                        None if row[index[key]] is None else float(row[index[key]])
                        for row in self.rows
                    ],
                }
                for key in self.chart["series"]
            ],
        }


@dataclass
class Card:
    label: str
    value: object
    kind: str = "int"
    note: str = ""


@dataclass
class Page:
    cards: list[Card] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # (term, what it means): shown under the figures so each can be defended.
    definitions: list[tuple[str, str]] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


# --- reading rollups ---------------------------------------------------------------------


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


def _clean(totals: dict) -> dict:
    return {name: (totals.get(name) or 0) for name in METRICS}


def totals(organization: Organization, filters: Filters) -> dict:
    return _clean(daily_source(organization, filters).aggregate(**SUMS))


def active_advocates(organization: Organization, filters: Filters) -> int:
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


def _daily_table(organization: Organization, filters: Filters) -> Table:
    by_day = {
        row["day"]: _clean(row)
        for row in daily_source(organization, filters)
        .values("day")
        .annotate(**SUMS)
        .order_by("day")
    }
    rows = []
    day = filters.start
    while day <= filters.end:
        row = by_day.get(day) or _clean({})
        rows.append(
            [
                day,
                row["shares"],
                row["clicks"],
                row["unique_clicks"],
                row["bot_clicks"],
                row["conversions"],
            ]
        )
        day += datetime.timedelta(days=1)
    return Table(
        "activity",
        _("Activity per day"),
        [
            Column("day", _("Day"), "date"),
            Column("shares", _("Shares")),
            Column("clicks", _("Human clicks")),
            Column("unique_clicks", _("Unique clicks")),
            Column("bot_clicks", _("Bot clicks")),
            Column("conversions", _("Conversions")),
        ],
        rows,
        chart={
            "type": "line",
            "x": "day",
            "series": ["shares", "clicks", "bot_clicks", "conversions"],
        },
    )


def _sentiment_table(organization: Organization, filters: Filters) -> Table:
    rows = []
    for row in daily_source(organization, filters).values("day").annotate(**SUMS).order_by("day"):
        row = {**_clean(row), "day": row["day"]}
        if row["sentiment_count"]:
            neutral = row["sentiment_count"] - row["positive_comments"] - row["negative_comments"]
            rows.append(
                [
                    row["day"],
                    sentiment(row),
                    row["sentiment_count"],
                    row["positive_comments"],
                    neutral,
                    row["negative_comments"],
                ]
            )
    return Table(
        "sentiment",
        _("Sentiment of comments"),
        [
            Column("day", _("Day"), "date"),
            Column("score", _("Average score (−1 to 1)"), "float"),
            Column("comments", _("Comments scored")),
            Column("positive", _("Positive")),
            Column("neutral", _("Neutral")),
            Column("negative", _("Negative")),
        ],
        rows,
        chart={"type": "line", "x": "day", "series": ["score"]},
    )


def _network_rows(organization: Organization, filters: Filters) -> list[dict]:
    if filters.member_ids is None and not filters.campaign:
        source = NetworkDaily.objects.for_org(organization).filter(
            day__gte=filters.start, day__lte=filters.end
        )
        if filters.network:
            source = source.filter(network=filters.network)
    else:
        source = segment_rows(organization, filters)
    return [
        {**_clean(row), "network": row["network"]}
        for row in source.values("network").annotate(**SUMS).order_by("network")
    ]


def _network_table(organization: Organization, filters: Filters) -> Table:
    rows = []
    for row in _network_rows(organization, filters):
        engaged = engagements(row)
        rows.append(
            [
                NETWORK_LABELS.get(row["network"], row["network"]),
                row["shares"],
                row["impressions"],
                engaged,
                ratio(engaged, row["impressions"]),
                row["clicks"],
                row["conversions"],
                sentiment(row),
            ]
        )
    return Table(
        "networks",
        _("By network"),
        [
            Column("network", _("Network"), "text"),
            Column("shares", _("Shares")),
            Column("impressions", _("Impressions (verified)")),
            Column("engagements", _("Engagements")),
            Column("engagement_rate", _("Engagement rate"), "percent"),
            Column("clicks", _("Human clicks")),
            Column("conversions", _("Conversions")),
            Column("sentiment", _("Sentiment"), "float"),
        ],
        rows,
        chart={"type": "bar", "x": "network", "series": ["shares", "clicks"]},
    )


def overview(organization: Organization, filters: Filters) -> Page:
    h = headline(organization, filters)
    cards = [
        Card(_("Shares"), h["shares"]),
        Card(
            _("Active advocates"),
            h["active_advocates"],
            note=_("of %(n)s enrolled") % {"n": h["enrolled"]},
        ),
        Card(
            _("Participation rate"),
            h["participation_rate"],
            "percent",
            _("shared at least once ÷ enrolled"),
        ),
        Card(_("Potential reach"), h["potential_reach"], note=_("Estimate: followers when shared")),
        Card(_("Impressions"), h["impressions"], note=_("Verified: reported by the networks")),
        Card(_("Engagements"), h["engagements"], note=_("reactions, comments and reposts")),
        Card(
            _("Engagement rate"),
            h["engagement_rate"],
            "percent",
            _("÷ %(n)s impressions") % {"n": h["impressions"]},
        ),
        Card(
            _("Human clicks"),
            h["clicks"],
            note=_("%(n)s bot clicks left out") % {"n": h["bot_clicks"]},
        ),
        Card(_("Unique clicks"), h["unique_clicks"]),
        Card(_("Clicks per share"), h["clicks_per_share"], "float"),
        Card(
            _("Conversions"), h["conversions"], note=_("value %(v)s") % {"v": h["conversion_value"]}
        ),
        Card(
            _("Conversion rate"),
            h["conversion_rate"],
            "percent",
            _("÷ %(n)s unique clicks") % {"n": h["unique_clicks"]},
        ),
        Card(
            _("Sentiment"),
            h["sentiment"],
            "float",
            _("%(n)s comments, −1 to 1") % {"n": h["sentiment_count"]},
        ),
    ]
    return Page(
        cards,
        [
            _daily_table(organization, filters),
            _network_table(organization, filters),
            _sentiment_table(organization, filters),
        ],
        {"headline": h},
    )


def program_cost(organization: Organization, filters: Filters) -> dict:

    analytics_settings = analytics_settings_get(organization=organization)
    rewards = rewards_cost(
        organization=organization, start=filters.start, end=filters.end + datetime.timedelta(days=1)
    )
    fixed = (analytics_settings.monthly_program_cost * filters.days / DAYS_PER_MONTH).quantize(
        Decimal("0.01")
    )
    return {"rewards": rewards, "fixed": fixed, "total": rewards + fixed}


def value(organization: Organization, filters: Filters) -> Page:
    analytics_settings = analytics_settings_get(organization=organization)
    cpm = {**DEFAULT_CPM, **(analytics_settings.cpm_by_network or {})}
    cpc, vpe = analytics_settings.cost_per_click, analytics_settings.value_per_engagement
    rows, emv = [], Decimal("0")
    for row in _network_rows(organization, filters):
        rate = Decimal(str(cpm.get(row["network"], "0")))
        impressions_value = (rate * row["impressions"] / 1000).quantize(Decimal("0.01"))
        clicks_value = (cpc * row["clicks"]).quantize(Decimal("0.01"))
        engagement_value = (vpe * engagements(row)).quantize(Decimal("0.01"))
        total = impressions_value + clicks_value + engagement_value
        emv += total
        rows.append(
            [
                NETWORK_LABELS.get(row["network"], row["network"]),
                row["impressions"],
                rate,
                impressions_value,
                row["clicks"],
                clicks_value,
                engagements(row),
                engagement_value,
                total,
            ]
        )
    cost = program_cost(organization, filters)
    conversions_value = totals(organization, filters)["conversion_value"]
    roi = ratio(emv + conversions_value - cost["total"], cost["total"])
    cards = [
        Card(_("Earned media value"), emv, "money"),
        Card(_("Conversion value"), conversions_value, "money"),
        Card(
            _("Program cost"),
            cost["total"],
            "money",
            _("rewards %(r)s + fixed %(f)s") % {"r": cost["rewards"], "f": cost["fixed"]},
        ),
        Card(_("Cost savings"), emv, "money", _("what the same results would cost as paid media")),
        Card(_("Return on investment"), roi, "percent", _("(value − cost) ÷ cost")),
    ]
    table = Table(
        "value",
        _("Earned media value by network"),
        [
            Column("network", _("Network"), "text"),
            Column("impressions", _("Impressions")),
            Column("cpm", _("CPM"), "money"),
            Column("impressions_value", _("Impressions value"), "money"),
            Column("clicks", _("Human clicks")),
            Column("clicks_value", _("Clicks value"), "money"),
            Column("engagements", _("Engagements")),
            Column("engagement_value", _("Engagements value"), "money"),
            Column("total", _("Earned media value"), "money"),
        ],
        rows,
        chart={"type": "bar", "x": "network", "series": ["total"]},
        note=_(
            "EMV = CPM × impressions ÷ 1,000 + cost per click × clicks + value per engagement × engagements"
        ),
    )
    return Page(
        cards, [table], {"settings": analytics_settings, "cost": cost, "emv": emv, "roi": roi}
    )


BENCHMARK_METRICS = {
    "participation_rate": (_("Participation rate"), "percent"),
    "clicks_per_share": (_("Clicks per share"), "float"),
    "engagement_rate": (_("Engagement rate"), "percent"),
    "conversion_rate": (_("Conversion rate"), "percent"),
}


def _team_table(organization: Organization, filters: Filters) -> Table:
    """Teams against each other, per active advocate so that size does not decide."""
    team_of = dict(Membership.objects.for_org(organization).values_list("id", "team_id"))
    names = dict(Team.objects.for_org(organization).values_list("id", "name"))
    per_team: dict[int | None, dict] = {}
    for row in segment_rows(organization, filters).values("membership_id").annotate(**SUMS):
        team = team_of.get(row["membership_id"])
        acc = per_team.setdefault(team, {"advocates": 0, **_clean({})})
        acc["advocates"] += 1 if (row["shares"] or 0) > 0 else 0
        for name in METRICS:
            acc[name] += row[name] or 0
    rows = []
    for team, acc in per_team.items():
        n = acc["advocates"]
        rows.append(
            [
                names.get(team, _("No team")),
                n,
                ratio(acc["shares"], n),
                ratio(acc["clicks"], n),
                ratio(engagements(acc), n),
                ratio(acc["conversions"], n),
            ]
        )
    rows.sort(key=lambda r: -(r[3] or 0))
    return Table(
        "teams",
        _("Teams per active advocate"),
        [
            Column("team", _("Team"), "text"),
            Column("advocates", _("Active advocates")),
            Column("shares", _("Shares per advocate"), "float"),
            Column("clicks", _("Clicks per advocate"), "float"),
            Column("engagements", _("Engagements per advocate"), "float"),
            Column("conversions", _("Conversions per advocate"), "float"),
        ],
        rows,
        chart={"type": "bar", "x": "team", "series": ["clicks", "shares"]},
    )


def _platform_figures() -> tuple[dict, dict[str, int]]:
    """The latest platform percentiles that may be shown, and for every metric how many
    organizations contributed to its latest computation (shown or not)."""
    shown_rows = PlatformBenchmark.objects.filter(
        organizations__gte=PlatformBenchmark.MIN_ORGANIZATIONS
    )
    latest_day = shown_rows.order_by("-computed_on").values_list("computed_on", flat=True).first()
    shown = {b.metric: b for b in shown_rows.filter(computed_on=latest_day)} if latest_day else {}
    last_day = (
        PlatformBenchmark.objects.order_by("-computed_on")
        .values_list("computed_on", flat=True)
        .first()
    )
    contributing = (
        dict(
            PlatformBenchmark.objects.filter(computed_on=last_day).values_list(
                "metric", "organizations"
            )
        )
        if last_day
        else {}
    )
    return shown, contributing


def _still_needed(contributing: int) -> str:
    needed = PlatformBenchmark.MIN_ORGANIZATIONS - contributing
    return ngettext(
        "%(n)s more organization needed",
        "%(n)s more organizations needed",
        needed,
    ) % {"n": needed}


def benchmarks(organization: Organization, filters: Filters) -> Page:
    now, before = headline(organization, filters), headline(organization, filters.previous())
    period_rows, period_kinds = [], {}
    for key, label in (
        ("shares", _("Shares")),
        ("active_advocates", _("Active advocates")),
        ("clicks", _("Human clicks")),
        ("impressions", _("Impressions")),
        ("engagements", _("Engagements")),
        ("conversions", _("Conversions")),
        *((k, v[0]) for k, v in BENCHMARK_METRICS.items()),
    ):
        change = (
            None if not before[key] or now[key] is None else (now[key] - before[key]) / before[key]
        )
        # Counts read as counts, rates as percentages; the change is always a percentage.
        period_kinds[len(period_rows)] = (
            BENCHMARK_METRICS[key][1] if key in BENCHMARK_METRICS else "int"
        )
        period_rows.append([label, now[key], before[key], change])
    period = Table(
        "period",
        _("This period against the previous one"),
        [
            Column("metric", _("Measure"), "text"),
            Column("now", _("This period"), "float"),
            Column("before", _("Previous period"), "float"),
            Column("change", _("Change"), "percent"),
        ],
        period_rows,
        row_kinds=period_kinds,
    )
    industry = analytics_settings_get(organization=organization).industry_benchmarks or {}
    platform, contributing = _platform_figures()
    compare_rows, compare_kinds = [], {}
    for key, (label, kind) in BENCHMARK_METRICS.items():
        given = industry.get(key)
        given = float(given) if given not in (None, "") else None
        if given is not None and kind == "percent":
            given /= 100  # admins enter rates in percent (35 for 35%)
        bench = platform.get(key)
        compare_kinds[len(compare_rows)] = kind
        compare_rows.append(
            [
                str(label),
                now[key],
                given,
                *(getattr(bench, p) if bench else None for p in ("p25", "p50", "p75")),
                bench.organizations if bench else contributing.get(key, 0),
            ]
        )
    still = _still_needed(min(contributing.values(), default=0)) if not platform else ""
    compare = Table(
        "compare",
        _("Against the industry and the platform"),
        [
            Column("metric", _("Measure"), "text"),
            Column("ours", _("Us"), "float"),
            Column("industry", _("Industry (entered by you)"), "float"),
            Column("p25", _("Platform 25th percentile"), "float"),
            Column("p50", _("Platform median"), "float"),
            Column("p75", _("Platform 75th percentile"), "float"),
            Column("organizations", _("Organizations in the platform figures")),
        ],
        compare_rows,
        note=_(
            "Platform percentiles are anonymous and shown only when at least %(n)s organizations contribute."
        )
        % {"n": PlatformBenchmark.MIN_ORGANIZATIONS},
        row_kinds=compare_kinds,
        blank={
            "industry": _("not entered (Settings)"),
            **dict.fromkeys(("p25", "p50", "p75"), still or _("not enough organizations")),
        },
    )
    return Page(
        [], [period, _team_table(organization, filters), compare], {"platform": bool(platform)}
    )


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _start_day(joined_at: datetime.datetime, hire_date: datetime.date | None) -> datetime.date:
    """When someone started: the hire date when the directory knows it, else joining Chorus."""
    return hire_date or joined_at.date()


def _awareness_table(organization: Organization, filters: Filters) -> Table:
    months = _month_starts(filters.start, filters.end)
    rows = MemberMonthly.objects.for_org(organization).filter(
        month__gte=months[0], month__lte=months[-1]
    )
    if filters.member_ids is not None:
        rows = rows.filter(membership_id__in=sorted(filters.member_ids))
    by_month = {r["month"]: _clean(r) for r in rows.values("month").annotate(**SUMS)}
    active = dict(
        rows.filter(shares__gt=0)
        .values("month")
        .annotate(n=Count("membership_id", distinct=True))
        .values_list("month", "n")
    )
    members = Membership.objects.for_org(organization)
    if filters.member_ids is not None:
        members = members.filter(pk__in=sorted(filters.member_ids))
    spans = [
        (_start_day(joined, hired), left)
        for joined, hired, left in members.values_list("joined_at", "hire_date", "leave_date")
    ]
    table_rows = []
    for month in months:
        month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
            days=1
        )
        present = sum(
            1 for started, left in spans if started <= month_end and (left is None or left >= month)
        )
        row = by_month.get(month)
        # A month with nothing shared has no reach or visits to speak of: words, not zeros.
        table_rows.append(
            [
                month.strftime("%Y-%m"),
                row["potential_reach"] if row else None,
                (row["impressions"] or None) if row else None,
                row["unique_clicks"] if row else None,
                active.get(month, 0),
                present,
                ratio(active.get(month, 0), present),
            ]
        )
    return Table(
        "trends",
        _("Awareness month by month"),
        [
            Column("month", _("Month"), "text"),
            Column("reach", _("Potential reach (estimate)")),
            Column("impressions", _("Impressions (verified)")),
            Column("visits", _("Human visits")),
            Column("active", _("Active advocates")),
            Column("enrolled", _("Enrolled")),
            Column("participation", _("Participation rate"), "percent"),
        ],
        table_rows,
        chart={"type": "line", "x": "month", "series": ["reach", "visits"]},
        note=_("“No data” in a month: nothing was shared, or the networks reported nothing."),
    )


def retention(organization: Organization, filters: Filters) -> dict:
    """Advocates' retention against everyone else's over the period, from each membership's
    start (hire date, else joining) and leave date. Of the people here on the first day,
    who was still here on the last. Advocates shared at least once by the period's end.
    People deactivated with no leave date cannot be placed and are counted apart."""
    advocates = set(
        MemberMonthly.objects.for_org(organization)
        .filter(shares__gt=0, month__lte=filters.end)
        .values_list("membership_id", flat=True)
        .distinct()
    )
    members = Membership.objects.for_org(organization)
    if filters.member_ids is not None:
        members = members.filter(pk__in=sorted(filters.member_ids))
    groups = {True: {"present": 0, "left": 0}, False: {"present": 0, "left": 0}}
    undated = 0
    for pk, joined, hired, left, is_active in members.values_list(
        "pk", "joined_at", "hire_date", "leave_date", "is_active"
    ):
        if not is_active and left is None:
            undated += 1
            continue
        if _start_day(joined, hired) > filters.start or (left is not None and left < filters.start):
            continue
        group = groups[pk in advocates]
        group["present"] += 1
        group["left"] += 1 if left is not None and left <= filters.end else 0
    for group in groups.values():
        group["stayed"] = group["present"] - group["left"]
        group["rate"] = ratio(group["stayed"], group["present"])
    return {"advocates": groups[True], "others": groups[False], "undated": undated}


def long_term(organization: Organization, filters: Filters) -> Page:
    kept = retention(organization, filters)
    advocates, others = kept["advocates"], kept["others"]
    totals_now = totals(organization, filters)

    def stayed_note(group: dict) -> str:
        if not group["present"]:
            return str(_("Nobody in this group was here on the first day of the period."))
        return _("%(stayed)s of %(present)s here on the first day") % group

    cards = [
        Card(_("Advocates still here"), advocates["rate"], "percent", stayed_note(advocates)),
        Card(_("Everyone else still here"), others["rate"], "percent", stayed_note(others)),
        Card(
            _("Potential reach"),
            totals_now["potential_reach"] if totals_now["shares"] else None,
            note=_("Estimate, see the definitions below"),
        ),
        Card(
            _("Human visits"),
            totals_now["unique_clicks"] if totals_now["shares"] or totals_now["clicks"] else None,
            note=_("Counted by Chorus, see the definitions below"),
        ),
    ]
    retention_table = Table(
        "retention",
        _("Retention: advocates and everyone else"),
        [
            Column("group", _("Group"), "text"),
            Column("present", _("Here on the first day")),
            Column("left", _("Left during the period")),
            Column("stayed", _("Still here on the last day")),
            Column("retention", _("Retention"), "percent"),
        ],
        [
            [
                _("Advocates (shared at least once)"),
                advocates["present"],
                advocates["left"],
                advocates["stayed"],
                advocates["rate"],
            ],
            [
                _("Everyone else"),
                others["present"],
                others["left"],
                others["stayed"],
                others["rate"],
            ],
        ],
        chart={"type": "bar", "x": "group", "series": ["retention"]},
        note=(
            ngettext(
                "%(n)s person was deactivated without a leave date and is not counted: "
                "set the leave date on the People page.",
                "%(n)s people were deactivated without a leave date and are not counted: "
                "set their leave dates on the People page.",
                kept["undated"],
            )
            % {"n": kept["undated"]}
            if kept["undated"]
            else ""
        ),
    )
    enps_rows = [
        [str(entry["period"]), entry["survey"], entry["score"], entry["responses"]]
        for entry in enps_trend(organization=organization, start=filters.start, end=filters.end)
    ]
    enps = Table(
        "enps",
        _("eNPS next to participation"),
        [
            Column("period", _("Round closed"), "text"),
            Column("survey", _("Survey"), "text"),
            Column("score", _("eNPS"), "float"),
            Column("responses", _("Responses")),
        ],
        enps_rows,
        chart={"type": "line", "x": "period", "series": ["score"]} if enps_rows else None,
        note=_("Rounds below the anonymity threshold show no score."),
    )
    definitions = [
        (
            _("Retention"),
            _(
                "Of the people in the organization on the first day of the period (from their "
                "hire date, or the day they joined Chorus, until their leave date), the share "
                "still there on the last day. Advocates are people who shared at least once "
                "by the end of the period; everyone else never did. Retention is compared, "
                "not explained: people who stay may simply share more."
            ),
        ),
        (
            _("Potential reach (estimate)"),
            _(
                "The followers each advocate had on the network when they shared, added up "
                "over their shares. An upper bound of the people who could have seen a post, "
                "not people who did; someone who follows two advocates counts twice."
            ),
        ),
        (
            _("Impressions (verified)"),
            _("How often the networks say the posts were shown, where they report it."),
        ),
        (
            _("Human visits"),
            _(
                "Visits to shared links counted by Chorus itself: known bots and crawlers are "
                "left out, and a visitor clicking the same link again within an hour counts "
                "once. Visitors are not followed from one day to the next (their address is "
                "hashed with a salt that changes daily), so the same person on two days "
                "counts twice."
            ),
        ),
    ]
    return Page(
        cards,
        [_awareness_table(organization, filters), retention_table, enps],
        {"retention": kept},
        definitions=definitions,
    )


def campaign_report(organization: Organization, filters: Filters) -> Page:
    if filters.member_ids is None and not filters.network:
        source = CampaignDaily.objects.for_org(organization).filter(
            day__gte=filters.start, day__lte=filters.end
        )
        if filters.campaign:
            source = source.filter(campaign=filters.campaign)
        grouped = {r["campaign"]: _clean(r) for r in source.values("campaign").annotate(**SUMS)}
    else:
        source = segment_rows(organization, filters).exclude(campaign_key=0)
        grouped = {
            r["campaign_key"]: _clean(r) for r in source.values("campaign_key").annotate(**SUMS)
        }
    campaigns = Campaign.objects.for_org(organization).filter(pk__in=list(grouped)).order_by("name")
    rows = []
    for campaign in campaigns:
        row = grouped[campaign.pk]
        goal = ratio(row["clicks"], campaign.goal_clicks) if campaign.goal_clicks else None
        rows.append(
            [
                campaign.name,
                row["shares"],
                row["clicks"],
                row["unique_clicks"],
                row["impressions"],
                engagements(row),
                row["conversions"],
                row["conversion_value"],
                goal,
                sentiment(row),
            ]
        )
    return Page(
        [],
        [
            Table(
                "campaigns",
                _("Campaigns"),
                [
                    Column("campaign", _("Campaign"), "text"),
                    Column("shares", _("Shares")),
                    Column("clicks", _("Human clicks")),
                    Column("unique_clicks", _("Unique clicks")),
                    Column("impressions", _("Impressions")),
                    Column("engagements", _("Engagements")),
                    Column("conversions", _("Conversions")),
                    Column("conversion_value", _("Conversion value"), "money"),
                    Column("goal", _("Goal reached (clicks)"), "percent"),
                    Column("sentiment", _("Sentiment"), "float"),
                ],
                rows,
                chart={"type": "bar", "x": "campaign", "series": ["clicks", "conversions"]},
            )
        ],
    )


def content_performance(organization: Organization, filters: Filters, *, limit: int = 20) -> Page:

    source = ContentDaily.objects.for_org(organization).filter(
        day__gte=filters.start, day__lte=filters.end
    )
    grouped = {r["content_id"]: _clean(r) for r in source.values("content_id").annotate(**SUMS)}
    top = sorted(grouped, key=lambda cid: (-grouped[cid]["clicks"], -grouped[cid]["shares"], cid))[
        :limit
    ]
    items = {
        item.pk: item
        for item in content_list(organization=organization).filter(pk__in=list(grouped))
    }
    item_rows = []
    for content_id in top:
        row = grouped[content_id]
        item = items.get(content_id)
        item_rows.append(
            [
                item.title if item else "—",
                row["shares"],
                row["clicks"],
                row["impressions"],
                engagements(row),
                row["conversions"],
                ratio(row["clicks"], row["shares"]),
            ]
        )
    topics: dict[str, dict] = {}
    for content_id, row in grouped.items():
        item = items.get(content_id)
        for topic in item.topics.all() if item else []:
            acc = topics.setdefault(topic.name, {"items": 0, **_clean({})})
            acc["items"] += 1
            for name in METRICS:
                acc[name] += row[name]
    topic_rows = sorted(
        (
            [name, acc["items"], acc["shares"], acc["clicks"], engagements(acc), acc["conversions"]]
            for name, acc in topics.items()
        ),
        key=lambda r: -r[3],
    )
    return Page(
        [],
        [
            Table(
                "content",
                _("Top content"),
                [
                    Column("title", _("Content"), "text"),
                    Column("shares", _("Shares")),
                    Column("clicks", _("Human clicks")),
                    Column("impressions", _("Impressions")),
                    Column("engagements", _("Engagements")),
                    Column("conversions", _("Conversions")),
                    Column("clicks_per_share", _("Clicks per share"), "float"),
                ],
                item_rows,
                chart={"type": "bar", "x": "title", "series": ["clicks"]},
            ),
            Table(
                "topics",
                _("Topics"),
                [
                    Column("topic", _("Topic"), "text"),
                    Column("items", _("Items")),
                    Column("shares", _("Shares")),
                    Column("clicks", _("Human clicks")),
                    Column("engagements", _("Engagements")),
                    Column("conversions", _("Conversions")),
                ],
                topic_rows,
                chart={"type": "bar", "x": "topic", "series": ["clicks", "shares"]},
            ),
        ],
    )


def team(organization: Organization, filters: Filters) -> Page:
    """A manager's people (or a chosen team), advocate by advocate."""
    page = overview(organization, filters)
    grouped = {
        r["membership_id"]: _clean(r)
        for r in segment_rows(organization, filters).values("membership_id").annotate(**SUMS)
    }
    people = (
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .select_related("user", "team")
    )
    if filters.member_ids is not None:
        people = people.filter(pk__in=sorted(filters.member_ids))
    rows = []
    for person in people:
        row = grouped.get(person.pk) or _clean({})
        rows.append(
            [
                person.user.get_full_name() or person.user.email,
                person.team.name if person.team else "",
                row["shares"],
                row["clicks"],
                row["unique_clicks"],
                engagements(row),
                row["conversions"],
            ]
        )
    rows.sort(key=lambda r: (-r[3], -r[2], r[0]))
    page.tables.insert(
        0,
        Table(
            "people",
            _("Advocates"),
            [
                Column("name", _("Advocate"), "text"),
                Column("team", _("Team"), "text"),
                Column("shares", _("Shares")),
                Column("clicks", _("Human clicks")),
                Column("unique_clicks", _("Unique clicks")),
                Column("engagements", _("Engagements")),
                Column("conversions", _("Conversions")),
            ],
            rows,
            chart={"type": "bar", "x": "name", "series": ["clicks", "shares"]},
        ),
    )
    return page


def personal(organization: Organization, filters: Filters) -> Page:
    page = overview(organization, filters)
    # Participation is about a group; for one person it says nothing new.
    page.cards = [
        card
        for card in page.cards
        if card.kind != "percent" or card.label != _("Participation rate")
    ]
    months = MemberMonthly.objects.for_org(organization).filter(
        membership_id__in=sorted(filters.member_ids or [])
    )
    rows = [
        [
            r["month"].strftime("%Y-%m"),
            r["shares"] or 0,
            r["clicks"] or 0,
            r["impressions"] or 0,
            (r["reactions"] or 0) + (r["comments"] or 0) + (r["reposts"] or 0),
            r["conversions"] or 0,
        ]
        for r in months.values("month").annotate(**SUMS).order_by("month")
    ]
    page.tables.append(
        Table(
            "months",
            _("Month by month"),
            [
                Column("month", _("Month"), "text"),
                Column("shares", _("Shares")),
                Column("clicks", _("Human clicks")),
                Column("impressions", _("Impressions")),
                Column("engagements", _("Engagements")),
                Column("conversions", _("Conversions")),
            ],
            rows,
            chart={"type": "bar", "x": "month", "series": ["clicks"]},
        )
    )
    return page


PAGES = {
    "overview": overview,
    "value": value,
    "benchmarks": benchmarks,
    "trends": long_term,
    "campaigns": campaign_report,
    "content": content_performance,
    "team": team,
    "me": personal,
}
