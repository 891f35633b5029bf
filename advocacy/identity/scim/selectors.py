"""Reads for the SCIM admin screen."""

from __future__ import annotations

from django.db.models import QuerySet

from advocacy.tenancy.models import Organization

from .models import ScimRequestLog, ScimToken

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def scim_token_list(*, organization: Organization) -> QuerySet[ScimToken]:
    return ScimToken.objects.for_org(organization)


def scim_last_sync(*, organization: Organization) -> ScimRequestLog | None:
    """The last change an identity provider made (a successful write)."""
    return (
        ScimRequestLog.objects.for_org(organization)
        .filter(method__in=WRITES, status__lt=400)
        .first()
    )


def scim_last_request(*, organization: Organization) -> ScimRequestLog | None:
    return ScimRequestLog.objects.for_org(organization).first()


def scim_recent_errors(*, organization: Organization, limit: int = 10) -> list[ScimRequestLog]:
    return list(ScimRequestLog.objects.for_org(organization).filter(status__gte=400)[:limit])
