"""Feed sources: RSS and Atom feeds whose new entries become drafts for review."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import feedparser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Organization

from .. import fetcher
from ..models import ContentItem, FeedSource, ImportedLink
from ..sanitize import plain_text
from .items import content_create

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
        response_headers={
            "content-location": result.url,
            "content-type": result.content_type,
        },
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
            source.url,
            max_bytes=FEED_MAX_BYTES,
            timeout=FEED_TIMEOUT_SECONDS,
            accept=FEED_ACCEPT,
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
