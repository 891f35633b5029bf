"""Benchmarks: this period against the previous one, teams against each other, and the
organization against the industry (entered by an admin) and the anonymous platform."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from advocacy.tenancy.models import Membership, Organization, Team
from analytics.dashboards.figures import (
    SUMS,
    Filters,
    clean,
    engagements,
    headline,
    ratio,
    segment_rows,
)
from analytics.dashboards.tables import Column, Measure, Page, Table, metric_table
from analytics.models import PlatformBenchmark
from analytics.rollups.facts import METRICS
from analytics.selectors import analytics_settings_get

BENCHMARK_METRICS = {
    "participation_rate": (_("Participation rate"), "percent"),
    "clicks_per_share": (_("Clicks per share"), "float"),
    "engagement_rate": (_("Engagement rate"), "percent"),
    "conversion_rate": (_("Conversion rate"), "percent"),
}


def _per_advocate(label: str, figure) -> Measure:
    return Measure(label, "float", lambda acc: ratio(figure(acc), acc["advocates"]))


TEAM_MEASURES = {
    "advocates": Measure(_("Active advocates"), "int", lambda acc: acc["advocates"]),
    "shares": _per_advocate(_("Shares per advocate"), lambda acc: acc["shares"]),
    "clicks": _per_advocate(_("Clicks per advocate"), lambda acc: acc["clicks"]),
    "engagements": _per_advocate(_("Engagements per advocate"), engagements),
    "conversions": _per_advocate(_("Conversions per advocate"), lambda acc: acc["conversions"]),
}


def _team_table(organization: Organization, filters: Filters) -> Table:
    """Teams against each other, per active advocate so that size does not decide."""
    team_of = dict(Membership.objects.for_org(organization).values_list("id", "team_id"))
    names = dict(Team.objects.for_org(organization).values_list("id", "name"))
    per_team: dict[int | None, dict] = {}
    for row in segment_rows(organization, filters).values("membership_id").annotate(**SUMS):
        team = team_of.get(row["membership_id"])
        acc = per_team.setdefault(team, {"advocates": 0, **clean({})})
        acc["advocates"] += 1 if (row["shares"] or 0) > 0 else 0
        for name in METRICS:
            acc[name] += row[name] or 0
    ranked = sorted(
        per_team.items(),
        key=lambda item: -(ratio(item[1]["clicks"], item[1]["advocates"]) or 0),
    )
    return metric_table(
        "teams",
        _("Teams per active advocate"),
        leading=[Column("team", _("Team"), "text")],
        rows=[([names.get(team, _("No team"))], acc) for team, acc in ranked],
        measures=list(TEAM_MEASURES),
        extra=TEAM_MEASURES,
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
