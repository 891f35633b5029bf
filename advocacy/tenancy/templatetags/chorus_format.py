"""`{% load chorus_format %}{{ value|rate }}`: a rate (a fraction) as the reader's
percentage, one way on every page ("12.5%", "12,5%" in Indonesian). See advocacy.formatting."""

from django import template

from advocacy.formatting import format_rate

register = template.Library()


@register.filter
def rate(value):
    return format_rate(value)
