"""What the dashboards show, one module per page, read from the rollups only.

Each page function takes the organization and the `Filters` and returns a `Page`
(cards, tables, definitions) built with the shared table builder in
`analytics.dashboards.tables`; the figures come from `analytics.dashboards.figures`.
A table may be drawn as a chart, and its numbers are always on the page and
exportable (CSV, XLSX). The views pick a page by its key in `PAGES`.
"""

from __future__ import annotations

from analytics.dashboards.figures import Filters, headline, scope_members
from analytics.dashboards.pages.benchmarks import BENCHMARK_METRICS, benchmarks
from analytics.dashboards.pages.campaigns import campaign_report
from analytics.dashboards.pages.content import content_performance
from analytics.dashboards.pages.long_term import long_term
from analytics.dashboards.pages.overview import overview
from analytics.dashboards.pages.personal import personal
from analytics.dashboards.pages.team import team
from analytics.dashboards.pages.value import value
from analytics.dashboards.tables import Page, Table

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

__all__ = [
    "BENCHMARK_METRICS",
    "PAGES",
    "Filters",
    "Page",
    "Table",
    "campaign_report",
    "headline",
    "overview",
    "scope_members",
]
