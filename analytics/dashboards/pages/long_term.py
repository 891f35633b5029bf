"""The long-term page: awareness month by month, advocates' retention against everyone
else's, and eNPS next to participation, each figure defined on the page."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from advocacy.tenancy.models import Membership, Organization
from analytics.dashboards.figures import SUMS, Filters, clean, ratio, totals
from analytics.dashboards.tables import Card, Column, Page, Table
from analytics.models import MemberMonthly
from surveys.selectors import enps_trend


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
    by_month = {r["month"]: clean(r) for r in rows.values("month").annotate(**SUMS)}
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
