"""Writes of the content library: items and captions, the approval workflow and its
audit trail, link previews, feeds, suggestions, guidelines and training.

Every function takes `organization=` and touches only that organization's rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

import feedparser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.services import onboarding_step_complete
from advocacy.tenancy.tasks import enqueue_on_commit

from . import fetcher, media
from .models import (
    Caption,
    ContentAudience,
    ContentEvent,
    ContentItem,
    ContentTopic,
    Course,
    CourseAudience,
    CourseCompletion,
    FeedSource,
    GuidelinesAcknowledgement,
    GuidelinesVersion,
    ImportedLink,
    Lesson,
    LessonProgress,
    LibrarySettings,
    QuizQuestion,
    Suggestion,
    Topic,
)
from .networks import NETWORK_LIMITS, effective_length
from .notifications import notify_rejection
from .preview import parse_preview
from .sanitize import clean_html, plain_text
from .selectors import course_list_for_member, guidelines_current, library_settings_get

Status = ContentItem.Status
Action = ContentEvent.Action

# Fields whose change alters what employees would post (an approved item goes back to review).
SUBSTANTIVE_FIELDS = (
    "title",
    "description",
    "url",
    "preview_title",
    "preview_description",
    "image",
    "media_file",
)
EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "url",
    "language",
    "is_featured",
    "publish_at",
    "expires_at",
    "internal_notes",
    "preview_title",
    "preview_description",
    "preview_image_url",
    "preview_site_name",
)

# --- settings and topics ------------------------------------------------------------------


def library_settings_update(*, organization: Organization, **fields: Any) -> LibrarySettings:
    rules, _created = LibrarySettings.objects.for_org(organization).get_or_create(
        organization=organization
    )
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean(exclude=["organization"])
    rules.save()
    organization._library_settings = rules
    return rules


def topic_get_or_create(*, organization: Organization, name: str) -> Topic:
    name = " ".join(name.split())[:80]
    slug = slugify(name)[:80] or "topic"
    topic, _created = Topic.objects.for_org(organization).get_or_create(
        organization=organization, slug=slug, defaults={"name": name}
    )
    return topic


# --- audit trail ----------------------------------------------------------------------------


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


# --- items -----------------------------------------------------------------------------------


def _check_media(*, data: dict[str, Any]) -> dict[str, Any]:
    """Validate uploads and make the thumbnail; raises before anything is written."""
    extra: dict[str, Any] = {}
    image = data.get("image")
    if image:
        media.validate_image(image)
        extra["thumbnail"] = media.make_thumbnail(image)
    media_file = data.get("media_file")
    if media_file:
        media.validate_media_file(media_file, kind=data.get("kind", ""))
    return extra


def _set_topics(
    *, organization: Organization, content: ContentItem, topics: Iterable[Topic]
) -> None:
    wanted = {topic.pk for topic in topics if topic.organization_id == organization.pk}
    links = ContentTopic.objects.for_org(organization).filter(content=content)
    links.exclude(topic_id__in=wanted).delete()
    have = set(links.values_list("topic_id", flat=True))
    ContentTopic.objects.bulk_create(
        [
            ContentTopic(organization=organization, content=content, topic_id=pk)
            for pk in wanted - have
        ]
    )


def content_set_audience(
    *,
    organization: Organization,
    content: ContentItem,
    teams: Iterable = (),
    locations: Iterable[str] = (),
    roles: Iterable[str] = (),
) -> None:
    """Replace the item's audience; no rule at all means everyone."""
    rules = [
        ContentAudience(organization=organization, content=content, team=t)
        for t in teams
        if t.organization_id == organization.pk
    ]
    rules += [
        ContentAudience(organization=organization, content=content, location=loc.strip())
        for loc in locations
        if loc.strip()
    ]
    rules += [
        ContentAudience(organization=organization, content=content, role=role) for role in roles
    ]
    ContentAudience.objects.for_org(organization).filter(content=content).delete()
    ContentAudience.objects.bulk_create(rules)
    everyone = not rules
    if content.audience_everyone != everyone:
        content.audience_everyone = everyone
        content.save(update_fields=["audience_everyone", "updated_at"])


def content_preview_request(*, organization: Organization, content: ContentItem) -> None:
    from .tasks import content_preview_fetch_task  # tasks import services

    content.preview_status = ContentItem.PreviewStatus.PENDING
    content.preview_error = ""
    content.save(update_fields=["preview_status", "preview_error", "updated_at"])
    enqueue_on_commit(
        content_preview_fetch_task, organization_id=organization.pk, content_id=content.pk
    )


@transaction.atomic
def content_create(
    *,
    organization: Organization,
    actor: Membership | None,
    data: dict[str, Any],
    topics: Iterable[Topic] = (),
    audience: dict[str, Iterable] | None = None,
    origin: str = ContentItem.Origin.CURATOR,
) -> ContentItem:
    extra = _check_media(data=data)
    fields = {
        name: data[name] for name in (*EDITABLE_FIELDS, "image", "media_file") if name in data
    }
    if not fields.get("title"):
        fields["title"] = fields.get("url") or _("Untitled")
    content = ContentItem(
        organization=organization,
        created_by=actor.user if actor else None,
        origin=origin,
        **fields,
        **extra,
    )
    content.full_clean(exclude=["organization", "thumbnail"])
    content.save()
    _set_topics(organization=organization, content=content, topics=topics)
    if audience:
        content_set_audience(organization=organization, content=content, **audience)
    _record(organization=organization, content=content, actor=actor, action=Action.CREATED)
    if content.url and not (data.get("preview_title") or data.get("preview_image_url")):
        content_preview_request(organization=organization, content=content)
    return content


@transaction.atomic
def content_update(
    *,
    organization: Organization,
    actor: Membership | None,
    content: ContentItem,
    data: dict[str, Any],
    topics: Iterable[Topic] | None = None,
    audience: dict[str, Iterable] | None = None,
) -> ContentItem:
    content = ContentItem.objects.for_org(organization).select_for_update().get(pk=content.pk)
    extra = _check_media(data=data)
    changes: dict[str, list] = {}
    for name in (*EDITABLE_FIELDS, "image", "media_file"):
        if name not in data or (name in ("image", "media_file") and data[name] is None):
            continue
        old, new = getattr(content, name), data[name]
        if _as_audit_value(old) != _as_audit_value(new):
            changes[name] = [_as_audit_value(old), _as_audit_value(new)]
            setattr(content, name, new)
    for name, value in extra.items():
        setattr(content, name, value)
    content.full_clean(exclude=["organization", "thumbnail"])
    from_status = content.status
    note = ""
    if from_status == Status.APPROVED and set(changes) & set(SUBSTANTIVE_FIELDS):
        if library_settings_get(organization=organization).compliance_review_required:
            content.status = Status.DRAFT
            note = _("Changed after approval; it needs to be reviewed again.")
    content.save()
    if topics is not None:
        _set_topics(organization=organization, content=content, topics=topics)
    if audience is not None:
        content_set_audience(organization=organization, content=content, **audience)
    if changes or content.status != from_status:
        _record(
            organization=organization,
            content=content,
            actor=actor,
            action=Action.EDITED,
            from_status=from_status,
            note=note,
            changes=changes,
        )
    if "url" in changes and content.url:
        content_preview_request(organization=organization, content=content)
    return content


def banned_words_in(*, organization: Organization, text: str) -> list[str]:
    found = []
    for word in library_settings_get(organization=organization).banned_word_list():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(word)
    return found


@transaction.atomic
def content_set_captions(
    *,
    organization: Organization,
    actor: Membership | None,
    content: ContentItem,
    captions: list[tuple[str, str]],
) -> list[Caption]:
    """Replace the item's captions with (network, text) pairs, in order. Texts over a
    network's limit are refused; banned words are allowed in drafts but block approval."""
    errors = []
    for network, text in captions:
        limit = NETWORK_LIMITS.get(network)
        if limit is not None and effective_length(text, network) > limit:
            errors.append(
                _("The %(network)s caption is %(length)s characters; the limit is %(limit)s.")
                % {"network": network, "length": effective_length(text, network), "limit": limit}
            )
    if errors:
        raise ValidationError({"captions": errors})
    old = list(
        Caption.objects.for_org(organization).filter(content=content).values_list("network", "text")
    )
    Caption.objects.for_org(organization).filter(content=content).delete()
    rows = Caption.objects.bulk_create(
        [
            Caption(
                organization=organization,
                content=content,
                network=network,
                text=text.strip(),
                position=index,
            )
            for index, (network, text) in enumerate(captions)
            if text.strip()
        ]
    )
    new = [(c.network, c.text) for c in rows]
    if old != new:
        _record(
            organization=organization,
            content=content,
            actor=actor,
            action=Action.EDITED,
            from_status=content.status,
            changes={"captions": [[list(p) for p in old], [list(p) for p in new]]},
        )
    return rows


# --- the approval workflow ---------------------------------------------------------------------


def _locked(organization: Organization, content: ContentItem) -> ContentItem:
    return ContentItem.objects.for_org(organization).select_for_update().get(pk=content.pk)


@transaction.atomic
def content_submit(
    *, organization: Organization, actor: Membership, content: ContentItem
) -> ContentItem:
    content = _locked(organization, content)
    if content.status != Status.DRAFT:
        raise ValidationError(_("Only drafts can be submitted for review."))
    content.status = Status.IN_REVIEW
    content.submitted_by = actor
    content.rejection_note = ""
    content.save(update_fields=["status", "submitted_by", "rejection_note", "updated_at"])
    _record(
        organization=organization,
        content=content,
        actor=actor,
        action=Action.SUBMITTED,
        from_status=Status.DRAFT,
    )
    return content


def _check_banned_words(*, organization: Organization, content: ContentItem) -> None:
    texts = [content.title, content.description, content.preview_title, content.preview_description]
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
    content = _locked(organization, content)
    from_status = content.status
    rules = library_settings_get(organization=organization)
    if from_status == Status.IN_REVIEW:
        _check_banned_words(organization=organization, content=content)
        content.approved_by = actor
        if rules.compliance_review_required:
            content.status = Status.COMPLIANCE_REVIEW
            action = Action.APPROVED
        else:
            content.status = Status.APPROVED
            action = Action.APPROVED
    elif from_status == Status.COMPLIANCE_REVIEW:
        if not actor.is_admin:
            raise ValidationError(_("Only an HR admin can give the compliance approval."))
        if content.approved_by_id == actor.pk:
            raise ValidationError(
                _("The compliance approval must come from someone other than the first approver.")
            )
        _check_banned_words(organization=organization, content=content)
        content.status = Status.APPROVED
        action = Action.COMPLIANCE_APPROVED
    else:
        raise ValidationError(_("Only items in review can be approved."))
    if content.status == Status.APPROVED:
        content.approved_at = timezone.now()
    content.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _record(
        organization=organization,
        content=content,
        actor=actor,
        action=action,
        from_status=from_status,
    )
    if content.status == Status.APPROVED:
        onboarding_step_complete(organization=organization, step="add_content")
        events.publish(
            events.ContentApproved(organization_id=organization.pk, content_id=content.pk)
        )
    return content


@transaction.atomic
def content_reject(
    *, organization: Organization, actor: Membership, content: ContentItem, note: str
) -> ContentItem:
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Tell the author what to change.")})
    content = _locked(organization, content)
    if content.status not in (Status.IN_REVIEW, Status.COMPLIANCE_REVIEW):
        raise ValidationError(_("Only items in review can be rejected."))
    from_status = content.status
    content.status = Status.DRAFT
    content.rejection_note = note
    content.approved_by = None
    content.save(update_fields=["status", "rejection_note", "approved_by", "updated_at"])
    _record(
        organization=organization,
        content=content,
        actor=actor,
        action=Action.REJECTED,
        from_status=from_status,
        note=note,
    )
    author = content.submitted_by
    if author is None and content.created_by_id:
        author = (
            Membership.objects.for_org(organization).filter(user_id=content.created_by_id).first()
        )
    if author is not None and author.pk != actor.pk:
        transaction.on_commit(
            lambda: notify_rejection(
                organization=organization, content=content, author=author, reviewer=actor, note=note
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
    content = _locked(organization, content)
    if content.status == Status.ARCHIVED:
        return content
    from_status = content.status
    content.status = Status.ARCHIVED
    content.save(update_fields=["status", "updated_at"])
    _record(
        organization=organization,
        content=content,
        actor=actor,
        action=action,
        from_status=from_status,
    )
    return content


@transaction.atomic
def content_restore(
    *, organization: Organization, actor: Membership, content: ContentItem
) -> ContentItem:
    content = _locked(organization, content)
    if content.status != Status.ARCHIVED:
        raise ValidationError(_("Only archived items can be restored."))
    content.status = Status.DRAFT
    content.save(update_fields=["status", "updated_at"])
    _record(
        organization=organization,
        content=content,
        actor=actor,
        action=Action.RESTORED,
        from_status=Status.ARCHIVED,
    )
    return content


def content_bulk_action(
    *, organization: Organization, actor: Membership, content_ids: Iterable[int], action: str
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


# --- link previews -------------------------------------------------------------------------------


def content_preview_fetch(*, organization: Organization, content_id: int) -> ContentItem | None:
    """Fetch the item's link and fill in its preview. The network part runs outside any
    transaction; the write re-reads the row so a curator's edit in between is not lost."""
    content = ContentItem.objects.for_org(organization).filter(pk=content_id).first()
    if content is None or not content.url:
        return None
    url = content.url
    try:
        preview = parse_preview(fetcher.fetch(url))
        error = ""
    except fetcher.FetchError as exc:
        preview, error = None, str(exc)
    with transaction.atomic():
        content = (
            ContentItem.objects.for_org(organization)
            .select_for_update()
            .filter(pk=content_id)
            .first()
        )
        if content is None or content.url != url:
            return content  # the link changed meanwhile; its own fetch is queued
        content.preview_fetched_at = timezone.now()
        if preview is None:
            content.preview_status = ContentItem.PreviewStatus.FAILED
            content.preview_error = error[:300]
        else:
            content.preview_status = ContentItem.PreviewStatus.FETCHED
            content.preview_error = ""
            content.preview_title = preview.title or content.preview_title
            content.preview_description = preview.description or content.preview_description
            content.preview_image_url = preview.image_url or content.preview_image_url
            content.preview_site_name = preview.site_name or content.preview_site_name
            if preview.title and content.title in ("", content.url):
                content.title = preview.title
            if preview.description and not content.description:
                content.description = preview.description
        content.save()
        _record(
            organization=organization,
            content=content,
            actor=None,
            action=Action.PREVIEW_FETCHED,
            from_status=content.status,
            note=content.preview_error,
        )
    return content


# --- employee suggestions ---------------------------------------------------------------------------


def suggestion_create(
    *, organization: Organization, membership: Membership, url: str, comment: str = ""
) -> Suggestion:
    suggestion = Suggestion(
        organization=organization, suggested_by=membership, url=url.strip(), comment=comment.strip()
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


# --- guidelines ---------------------------------------------------------------------------------------


@transaction.atomic
def guidelines_publish(
    *,
    organization: Organization,
    actor: Membership | None,
    title: str,
    body: str,
    change_summary: str = "",
) -> GuidelinesVersion:
    """Publish a new version; everyone must acknowledge it before their next share."""
    body = clean_html(body)
    if not body.strip() or not title.strip():
        raise ValidationError(_("The guidelines need a title and a text."))
    last = (
        GuidelinesVersion.objects.for_org(organization)
        .select_for_update()
        .order_by("-number")
        .first()
    )
    return GuidelinesVersion.objects.create(
        organization=organization,
        number=(last.number + 1) if last else 1,
        title=title.strip(),
        body=body,
        change_summary=change_summary.strip(),
        published_at=timezone.now(),
        created_by=actor,
    )


def guidelines_acknowledge(
    *, organization: Organization, membership: Membership
) -> GuidelinesAcknowledgement:
    version = guidelines_current(organization=organization)
    if version is None:
        raise ValidationError(_("There are no guidelines to acknowledge."))
    try:
        with transaction.atomic():
            ack, created = GuidelinesAcknowledgement.objects.for_org(organization).get_or_create(
                organization=organization, version=version, membership=membership
            )
    except IntegrityError:  # a double click raced us; the first one counts
        return GuidelinesAcknowledgement.objects.for_org(organization).get(
            version=version, membership=membership
        )
    if created:
        events.publish(
            events.GuidelinesAcknowledged(
                organization_id=organization.pk, membership_id=membership.pk, version_id=version.pk
            )
        )
    return ack


# --- training --------------------------------------------------------------------------------------------


def course_save(
    *,
    organization: Organization,
    course: Course | None = None,
    audience: dict[str, Iterable] | None = None,
    **fields: Any,
) -> Course:
    course = course or Course(organization=organization)
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean(exclude=["organization"])
    with transaction.atomic():
        course.save()
        if audience is not None:
            rules = [
                CourseAudience(organization=organization, course=course, team=t)
                for t in audience.get("teams", ())
            ]
            rules += [
                CourseAudience(organization=organization, course=course, location=x)
                for x in audience.get("locations", ())
                if x.strip()
            ]
            rules += [
                CourseAudience(organization=organization, course=course, role=r)
                for r in audience.get("roles", ())
            ]
            CourseAudience.objects.for_org(organization).filter(course=course).delete()
            CourseAudience.objects.bulk_create(rules)
            course.audience_everyone = not rules
            course.save(update_fields=["audience_everyone"])
    return course


def lesson_save(
    *, organization: Organization, course: Course, lesson: Lesson | None = None, **fields: Any
) -> Lesson:
    lesson = lesson or Lesson(organization=organization, course=course)
    for name, value in fields.items():
        setattr(lesson, name, clean_html(value) if name == "body" else value)
    if lesson.pk is None and "position" not in fields:
        lesson.position = Lesson.objects.for_org(organization).filter(course=course).count()
    lesson.full_clean(exclude=["organization", "course"])
    lesson.save()
    return lesson


def quiz_question_add(
    *,
    organization: Organization,
    lesson: Lesson,
    prompt: str,
    choices: list[str],
    correct_index: int,
) -> QuizQuestion:
    choices = [c.strip() for c in choices if c.strip()]
    if len(choices) < 2 or not 0 <= correct_index < len(choices):
        raise ValidationError(_("A question needs at least two answers and one right answer."))
    return QuizQuestion.objects.create(
        organization=organization,
        lesson=lesson,
        prompt=prompt.strip(),
        choices=choices,
        correct_index=correct_index,
        position=QuizQuestion.objects.for_org(organization).filter(lesson=lesson).count(),
    )


PASS_MARK = 0.8


@transaction.atomic
def lesson_complete(
    *,
    organization: Organization,
    membership: Membership,
    lesson: Lesson,
    answers: dict[int, int] | None = None,
) -> LessonProgress:
    """Mark a lesson done; a lesson with a quiz needs 80% right. The last lesson of a
    course completes it and raises CourseCompleted once."""
    questions = list(QuizQuestion.objects.for_org(organization).filter(lesson=lesson))
    score = None
    if questions:
        answers = answers or {}
        right = sum(1 for q in questions if answers.get(q.pk) == q.correct_index)
        score = round(100 * right / len(questions))
        if right < PASS_MARK * len(questions):
            raise ValidationError(
                _(
                    "You answered %(right)s of %(total)s questions right. Have another look and try again."
                )
                % {"right": right, "total": len(questions)}
            )
    progress, created = LessonProgress.objects.for_org(organization).get_or_create(
        organization=organization,
        membership=membership,
        lesson=lesson,
        defaults={"quiz_score": score},
    )
    if not created and score is not None and (progress.quiz_score or 0) < score:
        progress.quiz_score = score
        progress.save(update_fields=["quiz_score"])
    course = lesson.course
    lesson_ids = set(
        Lesson.objects.for_org(organization).filter(course=course).values_list("id", flat=True)
    )
    done_ids = set(
        LessonProgress.objects.for_org(organization)
        .filter(membership=membership, lesson_id__in=lesson_ids)
        .values_list("lesson_id", flat=True)
    )
    if lesson_ids <= done_ids:
        _completion, completed_now = CourseCompletion.objects.for_org(organization).get_or_create(
            organization=organization, membership=membership, course=course
        )
        if completed_now:
            events.publish(
                events.CourseCompleted(
                    organization_id=organization.pk,
                    membership_id=membership.pk,
                    course_id=course.pk,
                )
            )
            if all(
                row["completed"]
                for row in course_list_for_member(organization=organization, membership=membership)
            ):
                events.publish(
                    events.TrainingCompleted(
                        organization_id=organization.pk, membership_id=membership.pk
                    )
                )
    return progress


# --- feed sources ------------------------------------------------------------------------------------------

FEED_MAX_BYTES = 5 * 1024 * 1024
FEED_TIMEOUT_SECONDS = 15.0
FEED_MAX_ENTRIES = 50
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def feed_source_save(
    *, organization: Organization, source: FeedSource | None = None, **fields: Any
) -> FeedSource:
    source = source or FeedSource(organization=organization)
    for name, value in fields.items():
        setattr(source, name, value)
    source.full_clean(exclude=["organization"])
    source.save()
    return source


def _feed_entries(result: fetcher.FetchResult) -> list[dict[str, Any]]:
    """Parse first, write later: a malformed feed raises before anything is saved."""
    parsed = feedparser.parse(
        result.body,
        response_headers={"content-location": result.url, "content-type": result.content_type},
    )
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise fetcher.FetchError(_("This is not a valid RSS or Atom feed."))
    entries = []
    validate = URLValidator(schemes=["http", "https"])
    for entry in parsed.entries[:FEED_MAX_ENTRIES]:
        link = urljoin(result.url, (entry.get("link") or "").strip()).split("#", 1)[0]
        try:
            validate(link)
        except ValidationError:
            continue  # an entry without a usable link cannot be shared
        title = plain_text(entry.get("title") or "")[:300] or link[:300]
        entries.append(
            {
                "url": link[:2000],
                "title": title,
                "description": plain_text(entry.get("summary") or "")[:2000],
            }
        )
    return entries


def feed_source_poll(*, organization: Organization, source_id: int) -> int:
    """Import new entries of one feed as drafts for review. Returns how many were new.
    Errors (unreachable, too big, too slow, malformed) are recorded on the source."""
    source = FeedSource.objects.for_org(organization).filter(pk=source_id, is_active=True).first()
    if source is None:
        return 0
    now = timezone.now()
    try:
        result = fetcher.fetch(
            source.url, max_bytes=FEED_MAX_BYTES, timeout=FEED_TIMEOUT_SECONDS, accept=FEED_ACCEPT
        )
        entries = _feed_entries(result)
    except fetcher.FetchError as exc:
        FeedSource.objects.for_org(organization).filter(pk=source.pk).update(
            last_polled_at=now, last_error=str(exc)[:500]
        )
        return 0
    imported = 0
    with transaction.atomic():
        known = set(
            ImportedLink.objects.for_org(organization)
            .filter(url__in=[e["url"] for e in entries])
            .values_list("url", flat=True)
        )
        for entry in entries:
            if entry["url"] in known:
                continue
            known.add(entry["url"])
            try:
                with transaction.atomic():
                    link = ImportedLink.objects.create(
                        organization=organization, url=entry["url"], source=source
                    )
                    item = content_create(
                        organization=organization,
                        actor=None,
                        origin=ContentItem.Origin.FEED,
                        data={**entry, "language": source.language},
                        topics=[source.topic] if source.topic_id else [],
                    )
                    link.content = item
                    link.save(update_fields=["content"])
            except IntegrityError:
                continue  # a concurrent poll imported it first
            imported += 1
        FeedSource.objects.for_org(organization).filter(pk=source.pk).update(
            last_polled_at=now,
            last_success_at=now,
            last_error="",
            imported_count=F("imported_count") + imported,
        )
    return imported
