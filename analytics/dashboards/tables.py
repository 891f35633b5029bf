"""The one table builder of the dashboards: what a page hands to the template and the
exports (cards, tables, definitions), and `metric_table`, which turns summed rollup
rows into a table from measure names, so every page labels, computes and formats a
measure (shares, human clicks, engagement rate, ...) the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from analytics.dashboards.figures import engagements, ratio, sentiment
from analytics.dashboards.formatting import rate_percent


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
        """The chart's series; a rate is plotted as the percentage the table shows. No
        chart when every point is missing (words in the table say why)."""
        if not self.chart:
            return None
        index = {column.key: i for i, column in enumerate(self.columns)}
        x = index[self.chart["x"]]
        datasets = []
        for key in self.chart["series"]:
            column = self.columns[index[key]]
            percent = column.kind == "percent"
            points = [
                None
                if row[index[key]] is None
                else (rate_percent(row[index[key]]) if percent else float(row[index[key]]))
                for row in self.rows
            ]
            label = f"{column.label} (%)" if percent else str(column.label)
            datasets.append({"metric": key, "label": label, "data": points})
        if all(point is None for dataset in datasets for point in dataset["data"]):
            return None
        return {
            "type": self.chart.get("type", "line"),
            "labels": [str(row[x]) for row in self.rows],
            "datasets": datasets,
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


@dataclass(frozen=True)
class Measure:
    """A column computed from one summed rollup row."""

    label: str
    kind: str
    value: Callable[[dict], object]


def _sum(name: str) -> Callable[[dict], object]:
    return lambda row: row[name]


MEASURES: dict[str, Measure] = {
    "shares": Measure(_("Shares"), "int", _sum("shares")),
    "clicks": Measure(_("Human clicks"), "int", _sum("clicks")),
    "unique_clicks": Measure(_("Unique clicks"), "int", _sum("unique_clicks")),
    "bot_clicks": Measure(_("Bot clicks"), "int", _sum("bot_clicks")),
    "impressions": Measure(_("Impressions"), "int", _sum("impressions")),
    "verified_impressions": Measure(_("Impressions (verified)"), "int", _sum("impressions")),
    "engagements": Measure(_("Engagements"), "int", engagements),
    "engagement_rate": Measure(
        _("Engagement rate"), "percent", lambda row: ratio(engagements(row), row["impressions"])
    ),
    "conversions": Measure(_("Conversions"), "int", _sum("conversions")),
    "conversion_value": Measure(_("Conversion value"), "money", _sum("conversion_value")),
    "clicks_per_share": Measure(
        _("Clicks per share"), "float", lambda row: ratio(row["clicks"], row["shares"])
    ),
    "sentiment": Measure(_("Sentiment"), "float", sentiment),
}


def metric_table(
    key: str,
    title: str,
    *,
    leading: list[Column],
    rows: Iterable[tuple[list, dict]],
    measures: list[str],
    extra: dict[str, Measure] | None = None,
    chart: dict | None = None,
    note: str = "",
) -> Table:
    """A table of `leading` columns (what a row is: a day, a network, a person) followed
    by `measures` computed from each row's summed rollup figures. `extra` names measures
    only one page has (a campaign's goal)."""
    known = {**MEASURES, **(extra or {})}
    chosen = [(name, known[name]) for name in measures]
    return Table(
        key,
        title,
        [*leading, *(Column(name, measure.label, measure.kind) for name, measure in chosen)],
        [[*labels, *(measure.value(sums) for _name, measure in chosen)] for labels, sums in rows],
        chart=chart,
        note=note,
    )
