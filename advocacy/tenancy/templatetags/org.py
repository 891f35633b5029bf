"""`{% org_url "app:name" arg %}`: reverse a page of the current organization."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def org_url(context, name, *args, **kwargs):
    organization = context["request"].organization
    return reverse(
        name,
        args=[organization.slug, *args] if args else None,
        kwargs=None if args else {"org_slug": organization.slug, **kwargs},
    )
