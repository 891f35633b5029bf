"""The approval workflow: draft → in review → (compliance review →) approved, rejected back
to draft, archived and restored. Every step goes through `status_change`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.audit.services import audit_record
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.services import onboarding_step_complete

from ..models import Caption, ContentItem
from ..notifications import notify_rejection
from ..selectors import library_settings_get
from ._common import Action, Status, content_locked, status_change
from .rules import banned_words_in

IN_REVIEW = (Status.IN_REVIEW, Status.COMPLIANCE_REVIEW)


@transaction.atomic
def content_submit(
    *, organization: Organization, actor: Membership, content: ContentItem
) -> ContentItem:
    return status_change(
        organization=organization,
        content=content_locked(organization, content),
        actor=actor,
        action=Action.SUBMITTED,
        to_status=Status.IN_REVIEW,
        allowed_from=(Status.DRAFT,),
        refusal=_("Only drafts can be submitted for review."),
        submitted_by=actor,
        rejection_note="",
    )


def _check_banned_words(*, organization: Organization, content: ContentItem) -> None:
    texts = [
        content.title,
        content.description,
        content.preview_title,
        content.preview_description,
    ]
    texts += list(
        Caption.objects.for_org(organization).filter(content=content).values_list("text", flat=True)
    )
    found = sorted(
        {word for text in texts for word in banned_words_in(organization=organization, text=text)}
    )
    if found:
        raise ValidationError(
            _("This item cannot be approved: it contains banned words (%(words)s).")
            % {"words": ", ".join(found)}
        )


@transaction.atomic
def content_approve(
    *, organization: Organization, actor: Membership, content: ContentItem
) -> ContentItem:
    """In review → approved, or → compliance review when the organization asks for a second
    step; compliance review → approved by an HR admin other than the first approver."""
    content = content_locked(organization, content)
    rules = library_settings_get(organization=organization)
    if content.status == Status.IN_REVIEW:
        _check_banned_words(organization=organization, content=content)
        to_status = (
            Status.COMPLIANCE_REVIEW if rules.compliance_review_required else Status.APPROVED
        )
        action, approved_by = Action.APPROVED, actor
    elif content.status == Status.COMPLIANCE_REVIEW:
        if not actor.is_admin:
            raise ValidationError(_("Only an HR admin can give the compliance approval."))
        if content.approved_by_id == actor.pk:
            raise ValidationError(
                _("The compliance approval must come from someone other than the first approver.")
            )
        _check_banned_words(organization=organization, content=content)
        to_status, action, approved_by = (
            Status.APPROVED,
            Action.COMPLIANCE_APPROVED,
            content.approved_by,
        )
    else:
        raise ValidationError(_("Only items in review can be approved."))
    approved_at = timezone.now() if to_status == Status.APPROVED else content.approved_at
    content = status_change(
        organization=organization,
        content=content,
        actor=actor,
        action=action,
        to_status=to_status,
        approved_by=approved_by,
        approved_at=approved_at,
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="content.approved",
        target=content,
        details={"status": content.status},
    )
    if content.status == Status.APPROVED:
        onboarding_step_complete(organization=organization, step="add_content")
    return content


@transaction.atomic
def content_reject(
    *, organization: Organization, actor: Membership, content: ContentItem, note: str
) -> ContentItem:
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Tell the author what to change.")})
    content = status_change(
        organization=organization,
        content=content_locked(organization, content),
        actor=actor,
        action=Action.REJECTED,
        to_status=Status.DRAFT,
        allowed_from=IN_REVIEW,
        refusal=_("Only items in review can be rejected."),
        note=note,
        rejection_note=note,
        approved_by=None,
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="content.rejected",
        target=content,
        details={"note": note},
    )
    author = content.submitted_by
    if author is None and content.created_by_id:
        author = (
            Membership.objects.for_org(organization).filter(user_id=content.created_by_id).first()
        )
    if author is not None and author.pk != actor.pk:
        transaction.on_commit(
            lambda: notify_rejection(
                organization=organization,
                content=content,
                author=author,
                reviewer=actor,
                note=note,
            )
        )
    return content


@transaction.atomic
def content_archive(
    *,
    organization: Organization,
    actor: Membership | None,
    content: ContentItem,
    action: str = Action.ARCHIVED,
) -> ContentItem:
    content = content_locked(organization, content)
    if content.status == Status.ARCHIVED:
        return content
    return status_change(
        organization=organization,
        content=content,
        actor=actor,
        action=action,
        to_status=Status.ARCHIVED,
    )


@transaction.atomic
def content_restore(
    *, organization: Organization, actor: Membership, content: ContentItem
) -> ContentItem:
    return status_change(
        organization=organization,
        content=content_locked(organization, content),
        actor=actor,
        action=Action.RESTORED,
        to_status=Status.DRAFT,
        allowed_from=(Status.ARCHIVED,),
        refusal=_("Only archived items can be restored."),
    )


def content_bulk_action(
    *,
    organization: Organization,
    actor: Membership,
    content_ids: Iterable[int],
    action: str,
) -> tuple[list[ContentItem], dict[int, str]]:
    """Approve or archive many items; each succeeds or fails on its own, with its reason."""
    operations = {"approve": content_approve, "archive": content_archive}
    if action not in operations:
        raise ValidationError(_("Unknown action."))
    done, failed = [], {}
    for item in ContentItem.objects.for_org(organization).filter(pk__in=list(content_ids)):
        try:
            done.append(operations[action](organization=organization, actor=actor, content=item))
        except ValidationError as exc:
            failed[item.pk] = " ".join(exc.messages)
    return done, failed


def content_expire_due(*, organization: Organization, now=None) -> int:
    """Archive approved items past their expiry date (the feed already hides them)."""
    now = now or timezone.now()
    due = ContentItem.objects.for_org(organization).filter(
        status=Status.APPROVED, expires_at__lte=now
    )
    count = 0
    for item in due:
        content_archive(organization=organization, actor=None, content=item, action=Action.EXPIRED)
        count += 1
    return count
