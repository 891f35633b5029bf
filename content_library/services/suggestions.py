"""Links employees suggest; a curator turns one into a draft or declines it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from ..models import ContentItem, Suggestion
from .items import content_create


def suggestion_create(
    *, organization: Organization, membership: Membership, url: str, comment: str = ""
) -> Suggestion:
    suggestion = Suggestion(
        organization=organization,
        suggested_by=membership,
        url=url.strip(),
        comment=comment.strip(),
    )
    suggestion.full_clean(exclude=["organization", "suggested_by"])
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_accept(
    *, organization: Organization, actor: Membership, suggestion: Suggestion
) -> ContentItem:
    suggestion = Suggestion.objects.for_org(organization).select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.NEW:
        raise ValidationError(_("This suggestion has already been handled."))
    content = content_create(
        organization=organization,
        actor=actor,
        origin=ContentItem.Origin.SUGGESTION,
        data={
            "url": suggestion.url,
            "internal_notes": _("Suggested by %(name)s: %(comment)s")
            % {
                "name": suggestion.suggested_by.user.get_full_name()
                or suggestion.suggested_by.user.email,
                "comment": suggestion.comment,
            },
        },
    )
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.content = content
    suggestion.reviewed_by = actor
    suggestion.save(update_fields=["status", "content", "reviewed_by"])
    return content


def suggestion_decline(
    *, organization: Organization, actor: Membership, suggestion: Suggestion
) -> Suggestion:
    updated = (
        Suggestion.objects.for_org(organization)
        .filter(pk=suggestion.pk, status=Suggestion.Status.NEW)
        .update(status=Suggestion.Status.DECLINED, reviewed_by=actor)
    )
    if not updated:
        raise ValidationError(_("This suggestion has already been handled."))
    suggestion.refresh_from_db()
    return suggestion
