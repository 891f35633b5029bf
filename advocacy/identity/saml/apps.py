"""allauth's SAML provider, fed one app per organization from its SamlConnection.

No SocialApp rows: the organization's settings are the one source, so an owner's change
takes effect at the next sign-in and nothing has to be kept in sync. Each organization's
app has its own provider id (``saml-<org>``), so a NameID from one organization's identity
provider can never sign in an account linked through another's.
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp

from advocacy.tenancy.context import org_context
from advocacy.tenancy.selectors import organization_get_by_slug

from .models import SamlConnection

PROVIDER = "saml"
PREFIX = "saml-"


def provider_id(organization_slug: str) -> str:
    return f"{PREFIX}{organization_slug}"


def app_for(organization, connection: SamlConnection | None) -> SocialApp:
    mapping = {}
    if connection is not None:
        mapping = {
            "email": [connection.attribute_email],
            "first_name": [connection.attribute_first_name]
            if connection.attribute_first_name
            else [],
            "last_name": [connection.attribute_last_name] if connection.attribute_last_name else [],
        }
    return SocialApp(
        provider=PROVIDER,
        provider_id=provider_id(organization.slug),
        name=organization.name,
        client_id=organization.slug,
        settings={"attribute_mapping": mapping, "hidden": True},
    )


def saml_apps(*, provider: str | None, client_id: str | None) -> list[SocialApp]:
    """The apps allauth asks for by provider and organization; none for a bare listing, so
    the sign-in page never shows which organizations use Chorus."""
    if provider == PROVIDER and client_id:
        slug = client_id
    elif provider and provider.startswith(PREFIX):
        slug = provider[len(PREFIX) :]
        if client_id and client_id != slug:
            return []
    else:
        return []
    organization = organization_get_by_slug(slug=slug)
    if organization is None:
        return []
    with org_context(organization):
        connection = SamlConnection.objects.for_org(organization).first()
    if connection is None:
        return []
    return [app_for(organization, connection)]
