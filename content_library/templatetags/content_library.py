"""Template helpers of the content library."""

from django import template
from django.utils.safestring import mark_safe

from content_library.sanitize import clean_html

register = template.Library()


@register.filter
def rich_text(value: str) -> str:
    """Stored rich text is sanitized on save; cleaning again on output costs little and
    protects against rows written some other way."""
    return mark_safe(clean_html(value))  # noqa: S308 - nh3 output is safe HTML
