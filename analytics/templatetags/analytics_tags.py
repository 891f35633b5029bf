"""Formatting dashboard numbers by their kind, in the reader's locale."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format, number_format

register = template.Library()


@register.filter
def metric(value, kind="int"):
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return number_format(float(value) * 100, 1) + " %"
    if kind == "money":
        return intcomma(number_format(Decimal(value), 2, use_l10n=True))
    if kind == "float":
        return number_format(float(value), 2)
    if kind == "date" and isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == "int" and isinstance(value, int | Decimal | float):
        return intcomma(int(value))
    return value


@register.simple_tag
def export_url(query, table_key, export_format):
    params = query.copy()
    params["export"] = export_format
    params["table"] = table_key
    return "?" + params.urlencode()


@register.filter
def chart_json_id(table):
    return f"chart-data-{table.key}"
