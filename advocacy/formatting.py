"""How a rate reads, in one place for every app: pages, e-mails, CSV files.

A rate is a fraction (0.125) everywhere in the code, and a person sees it one way: a
percentage with one decimal and the % sign right after it, in the reader's language
("12.5%" in English, "12,5%" in Indonesian, by Django's number formatting of the active
locale). A CSV cell carries the same figure with a dot whatever the language ("12.5%",
which spreadsheets read as a percentage); an API keeps the number. Progress bars' CSS
widths are not text a person reads and keep their own dot-decimal numbers.

Templates: ``{% load chorus_format %}{{ value|rate }}``.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

NO_DATA = _("no data")
RATE_DECIMALS = 1


def rate_percent(value) -> float:
    """The percentage shown for a rate, rounded once for every place that shows it."""
    return round(float(value) * 100, RATE_DECIMALS)


def ratio(part, whole) -> float | None:
    """`part` of `whole` as a rate; None when there is no whole to take a part of."""
    return part / whole if whole else None


def format_rate(value) -> str:
    """The text a reader sees for a rate, in the active language ("12.5%", "12,5%")."""
    if value is None or value == "":
        return str(NO_DATA)
    return number_format(rate_percent(value), RATE_DECIMALS, use_l10n=True) + "%"


def rate_cell(value) -> str:
    """A rate as a CSV cell: '12.5%' with a dot in every language; no data is empty."""
    if value is None or value == "":
        return ""
    return f"{rate_percent(value):.{RATE_DECIMALS}f}%"
