"""Content items: creating and editing them with their captions, topics and audience,
and filling in link previews."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.tasks import enqueue_on_commit

from .. import fetcher, media
from ..models import Caption, ContentAudience, ContentItem, ContentTopic, Topic
from ..networks import NETWORK_LIMITS, effective_length, fits, too_many_bytes
from ..preview import parse_preview
from ..selectors import library_settings_get
from ._common import Action, Status, _as_audit_value, _record

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
    topics = list(topics)
    ensure_in_org(organization, *topics)
    wanted = {topic.pk for topic in topics}
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
    teams = list(teams)
    ensure_in_org(organization, *teams)
    rules = [ContentAudience(organization=organization, content=content, team=t) for t in teams]
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
    from ..tasks import content_preview_fetch_task  # tasks import services

    content.preview_status = ContentItem.PreviewStatus.PENDING
    content.preview_error = ""
    content.save(update_fields=["preview_status", "preview_error", "updated_at"])
    enqueue_on_commit(
        content_preview_fetch_task,
        organization_id=organization.pk,
        content_id=content.pk,
    )


@transaction.atomic
def content_create(
    *,
    organization: Organization,
    actor: Membership | None,
    data: dict[str, Any],
    topics: Iterable[Topic] = (),
    audience: dict[str, Iterable] | None = None,
    captions: list[tuple[str, str]] | None = None,
    origin: str = ContentItem.Origin.CURATOR,
) -> ContentItem:
    """A new draft with its topics, audience and (network, text) captions, all or nothing."""
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
    if captions:
        content_set_captions(
            organization=organization, actor=actor, content=content, captions=captions
        )
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
    captions: list[tuple[str, str]] | None = None,
) -> ContentItem:
    """Edit an item, all or nothing; captions=None leaves its captions as they are. A
    substantive change to an approved item sends it back to review when the organization
    asks for compliance review."""
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
    if (
        from_status == Status.APPROVED
        and set(changes) & set(SUBSTANTIVE_FIELDS)
        and library_settings_get(organization=organization).compliance_review_required
    ):
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
    if captions is not None:
        content_set_captions(
            organization=organization, actor=actor, content=content, captions=captions
        )
    if "url" in changes and content.url:
        content_preview_request(organization=organization, content=content)
    return content


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
                % {
                    "network": network,
                    "length": effective_length(text, network),
                    "limit": limit,
                }
            )
        elif not fits(text, network):
            errors.append(too_many_bytes(text, network))
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
