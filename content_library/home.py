"""The admins' home figure the library knows: items waiting for a review."""

from __future__ import annotations

from advocacy.tenancy.models import Organization

from .models import ContentItem


def awaiting_approval(*, organization: Organization) -> int:
    waiting = [ContentItem.Status.IN_REVIEW, ContentItem.Status.COMPLIANCE_REVIEW]
    return ContentItem.objects.for_org(organization).filter(status__in=waiting).count()
