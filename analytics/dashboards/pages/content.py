"""Content performance: the items that brought the most clicks, and their topics."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Organization
from analytics.dashboards.figures import SUMS, Filters, clean
from analytics.dashboards.tables import Column, Measure, Page, metric_table
from analytics.models import ContentDaily
from analytics.rollups.facts import METRICS
from content_library.selectors import content_list

ITEMS = {"items": Measure(_("Items"), "int", lambda acc: acc["items"])}


def content_performance(organization: Organization, filters: Filters, *, limit: int = 20) -> Page:
    source = ContentDaily.objects.for_org(organization).filter(
        day__gte=filters.start, day__lte=filters.end
    )
    grouped = {r["content_id"]: clean(r) for r in source.values("content_id").annotate(**SUMS)}
    top = sorted(grouped, key=lambda cid: (-grouped[cid]["clicks"], -grouped[cid]["shares"], cid))[
        :limit
    ]
    items = {
        item.pk: item
        for item in content_list(organization=organization).filter(pk__in=list(grouped))
    }
    topics: dict[str, dict] = {}
    for content_id, row in grouped.items():
        item = items.get(content_id)
        for topic in item.topics.all() if item else []:
            acc = topics.setdefault(topic.name, {"items": 0, **clean({})})
            acc["items"] += 1
            for name in METRICS:
                acc[name] += row[name]
    removed = _("(removed from the library)")
    return Page(
        [],
        [
            metric_table(
                "content",
                _("Top content"),
                leading=[Column("title", _("Content"), "text")],
                rows=[
                    ([items[cid].title if cid in items else removed], grouped[cid]) for cid in top
                ],
                measures=[
                    "shares",
                    "clicks",
                    "impressions",
                    "engagements",
                    "conversions",
                    "clicks_per_share",
                ],
                chart={"type": "bar", "x": "title", "series": ["clicks"]},
            ),
            metric_table(
                "topics",
                _("Topics"),
                leading=[Column("topic", _("Topic"), "text")],
                rows=sorted(
                    (([name], acc) for name, acc in topics.items()),
                    key=lambda pair: -pair[1]["clicks"],
                ),
                measures=["items", "shares", "clicks", "engagements", "conversions"],
                extra=ITEMS,
                chart={"type": "bar", "x": "topic", "series": ["clicks", "shares"]},
            ),
        ],
    )
