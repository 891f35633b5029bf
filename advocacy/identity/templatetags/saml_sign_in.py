"""`{% saml_sign_in_url next as url %}`: the SAML sign-in link of the organization a `next`
address points into (/o/<org>/...), when that organization's SAML sign-in is on; else "".

The button it feeds names no organization: the sign-in page must not tell a stranger which
organization an address belongs to."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django import template
from django.urls import reverse

from advocacy.identity.saml.selectors import saml_connection_get
from advocacy.tenancy.context import org_context
from advocacy.tenancy.middleware import ORG_PATH
from advocacy.tenancy.selectors import organization_get_by_slug

register = template.Library()


@register.simple_tag
def saml_sign_in_url(next_url: str | None) -> str:
    path = urlsplit(next_url or "").path
    match = ORG_PATH.match(path) if path.startswith("/o/") else None
    if match is None:
        return ""
    organization = organization_get_by_slug(slug=match["slug"])
    if organization is None:
        return ""
    with org_context(organization):
        connection = saml_connection_get(organization=organization)
    if connection is None or not connection.is_ready:
        return ""
    login = reverse("saml_login", kwargs={"organization_slug": organization.slug})
    return f"{login}?{urlencode({'next': next_url})}"
