"""Reads for SAML sign-in."""

from __future__ import annotations

from advocacy.tenancy.models import Organization

from .models import SamlConnection, SamlSignIn


def saml_connection_get(*, organization: Organization) -> SamlConnection | None:
    return SamlConnection.objects.for_org(organization).first()


def saml_outcomes_recent(*, organization: Organization, limit: int = 10) -> list[SamlSignIn]:
    return list(SamlSignIn.objects.for_org(organization)[:limit])
