"""How a dashboard figure reads, in one place: the pages, the e-mails and the exports.

A rate is a fraction (0.125) everywhere in the code and is shown one way: a percentage
with one decimal and the % sign right after it ("12.5%", "12,5%" in Indonesian). The
CSV carries the same text with a dot ("12.5%", which spreadsheets read as a
percentage) and the XLSX the fraction with the "0.0%" format, so a reader sees the
same figure on the page and in the file. A figure with no data says so in words.
The rate rules themselves live in the core (advocacy.formatting), shared by every app.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format, number_format

from advocacy.formatting import NO_DATA, RATE_DECIMALS, format_rate, rate_cell, rate_percent

__all__ = [
    "NO_DATA",
    "RATE_DECIMALS",
    "XLSX_RATE_FORMAT",
    "export_cell",
    "format_metric",
    "rate_percent",
]

XLSX_RATE_FORMAT = "0.0%"
NUMERIC = frozenset({"int", "money", "percent", "float"})


def format_metric(value, kind: str = "int"):
    """The text a reader sees for `value` of `kind` (int, money, percent, float, date, text)."""
    if value is None or value == "":
        return NO_DATA
    if kind in NUMERIC and isinstance(value, str):
        return value  # an explanation in place of a figure (e.g. what is still missing)
    if kind == "percent":
        return format_rate(value)
    if kind == "money":
        return intcomma(number_format(Decimal(value), 2, use_l10n=True))
    if kind == "float":
        return number_format(float(value), 2)
    if kind == "date" and isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == "int" and isinstance(value, int | Decimal | float):
        return intcomma(int(value))
    return value


def export_cell(value, kind: str):
    """A figure as a CSV cell: numbers stay numbers, a rate is '12.5%', no data is empty."""
    if value is None:
        return ""
    if kind == "percent" and not isinstance(value, str):
        return rate_cell(value)
    if isinstance(value, float):
        return round(value, 4)
    return value
