"""What the content library's use cases share: the audit trail of an item and the
one way its status changes (lock the row, check where it stands, save, record)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError

from advocacy.tenancy.models import Membership, Organization

from ..models import ContentEvent, ContentItem

Status = ContentItem.Status
Action = ContentEvent.Action


def _record(
    *,
    organization: Organization,
    content: ContentItem,
    actor: Membership | None,
    action: str,
    from_status: str = "",
    note: str = "",
    changes: dict | None = None,
) -> ContentEvent:
    return ContentEvent.objects.create(
        organization=organization,
        content=content,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=content.status,
        note=note,
        changes=changes or {},
    )


def _as_audit_value(value: Any) -> Any:
    if hasattr(value, "name") and hasattr(value, "url"):  # a file field
        return value.name or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def content_locked(organization: Organization, content: ContentItem) -> ContentItem:
    """The item re-read under a row lock (the caller holds a transaction)."""
    return ContentItem.objects.for_org(organization).select_for_update().get(pk=content.pk)


def status_change(
    *,
    organization: Organization,
    content: ContentItem,
    actor: Membership | None,
    action: str,
    to_status: str,
    allowed_from: Collection[str] | None = None,
    refusal: str = "",
    note: str = "",
    **fields: Any,
) -> ContentItem:
    """Move a locked item (see `content_locked`) to `to_status`, set `fields`, save only
    what changed and add one entry to its audit trail. An item that is not in one of
    `allowed_from` is refused with `refusal` and nothing is written."""
    if allowed_from is not None and content.status not in allowed_from:
        raise ValidationError(refusal)
    from_status = content.status
    content.status = to_status
    for name, value in fields.items():
        setattr(content, name, value)
    content.save(update_fields=["status", *fields, "updated_at"])
    _record(
        organization=organization,
        content=content,
        actor=actor,
        action=action,
        from_status=from_status,
        note=note,
    )
    return content
