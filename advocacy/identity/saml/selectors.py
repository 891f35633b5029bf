"""Reads for SAML sign-in."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from advocacy.tenancy.models import Organization

from .models import MetadataStatus, SamlConnection, SamlSignIn


def saml_connection_get(*, organization: Organization) -> SamlConnection | None:
    return SamlConnection.objects.for_org(organization).first()


def saml_outcomes_recent(*, organization: Organization, limit: int = 10) -> list[SamlSignIn]:
    return list(SamlSignIn.objects.for_org(organization)[:limit])


# A fetch still "pending" after this long has been lost (no worker, or it died): the page
# says so instead of waiting forever, and "Test the connection" queues it again.
FETCH_STALE_AFTER = dt.timedelta(minutes=2)


def saml_metadata_state(*, connection: SamlConnection | None) -> str:
    """ "" (nothing fetched), "pending", "loaded", "failed" or "stale"."""
    if connection is None:
        return ""
    status = connection.metadata_status
    if (
        status == MetadataStatus.PENDING
        and connection.metadata_requested_at is not None
        and timezone.now() - connection.metadata_requested_at > FETCH_STALE_AFTER
    ):
        return "stale"
    return status
