"""Formatting dashboard numbers by their kind, in the reader's locale."""

from __future__ import annotations

from django import template

from analytics.dashboards.formatting import format_metric

register = template.Library()


@register.filter
def metric(value, kind="int"):
    return format_metric(value, kind)


@register.simple_tag
def export_url(query, table_key, export_format):
    params = query.copy()
    params["export"] = export_format
    params["table"] = table_key
    return "?" + params.urlencode()


@register.filter
def chart_json_id(table):
    return f"chart-data-{table.key}"
