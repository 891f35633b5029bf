"""The team dashboard: the overview for a manager's people (or a chosen team), and each
advocate's results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, Organization
from analytics.dashboards.figures import SUMS, Filters, clean, segment_rows
from analytics.dashboards.pages.overview import overview
from analytics.dashboards.tables import Column, Page, metric_table


def team(organization: Organization, filters: Filters) -> Page:
    page = overview(organization, filters)
    grouped = {
        r["membership_id"]: clean(r)
        for r in segment_rows(organization, filters).values("membership_id").annotate(**SUMS)
    }
    people = (
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .select_related("user", "team")
    )
    if filters.member_ids is not None:
        people = people.filter(pk__in=sorted(filters.member_ids))
    rows = [
        (
            [
                person.user.get_full_name() or person.user.email,
                person.team.name if person.team else "",
            ],
            grouped.get(person.pk) or clean({}),
        )
        for person in people
    ]
    rows.sort(key=lambda pair: (-pair[1]["clicks"], -pair[1]["shares"], pair[0][0]))
    page.tables.insert(
        0,
        metric_table(
            "people",
            _("Advocates"),
            leading=[Column("name", _("Advocate"), "text"), Column("team", _("Team"), "text")],
            rows=rows,
            measures=["shares", "clicks", "unique_clicks", "engagements", "conversions"],
            chart={"type": "bar", "x": "name", "series": ["clicks", "shares"]},
        ),
    )
    return page
