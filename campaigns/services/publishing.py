"""Publishing shares through the social app's publication state machine.

A share is claimed with a conditional UPDATE before anything is sent, so two
workers (or a retried task) never publish it twice. The network call itself is
the social app's: `publication_create` keyed by share and attempt,
`publication_execute` for a fresh one, `publication_reconcile` for one whose
outcome was lost (never a blind retry). The share mirrors the publication.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import enqueue_on_commit
from social.models import Publication
from social.services import (
    publication_create,
    publication_execute,
    publication_reconcile,
    publication_resolve,
)

from ..disclosure import share_text
from ..links import short_base_url, tracked_link_create, with_tracked_link
from ..models import Share

log = logging.getLogger(__name__)

# A share left publishing this long lost its worker; the dispatcher picks it up again.
STALE_AFTER = datetime.timedelta(minutes=5)
# Deferred by the network (rate limit): try again after this.
DEFER = datetime.timedelta(minutes=2)
READY = (Share.Status.SCHEDULED, Share.Status.PENDING)
IN_FLIGHT = (Share.Status.PUBLISHING, Share.Status.UNKNOWN)


def due_shares_filter(now: datetime.datetime) -> Q:
    """Shares a worker should take up now: due ones, and in-flight ones whose worker went
    quiet. One whose post only its employee can confirm waits for them, not for a worker."""
    return Q(status__in=READY, scheduled_at__lte=now) | (
        Q(status__in=IN_FLIGHT, status_changed_at__lt=now - STALE_AFTER)
        & ~Exists(
            Publication.objects.filter(pk=OuterRef("publication_id"), needs_manual_check=True)
        )
    )


def _claim(organization: Organization, share_id: int, now: datetime.datetime) -> bool:
    return bool(
        Share.objects.for_org(organization)
        .filter(due_shares_filter(now), pk=share_id)
        .update(status=Share.Status.PUBLISHING, status_changed_at=now)
    )


def idempotency_key(share: Share) -> str:
    return f"share:{share.pk}:{share.attempts}"


def share_publish(*, organization: Organization, share_id: int) -> Share | None:
    """Publish one share if it is due and nobody else holds it; returns it, or None when not ours to do."""
    now = timezone.now()
    if not _claim(organization, share_id, now):
        return None
    share = (
        Share.objects.for_org(organization).select_related("content", "connection").get(pk=share_id)
    )
    if share.connection is None:
        return _mirror(
            organization,
            share,
            status=Share.Status.FAILED,
            error=_("The connected account was removed. Reconnect it and try again."),
        )
    link_url = ""
    if share.content.url:
        link = tracked_link_create(organization=organization, share=share)
        link_url = f"{short_base_url(organization)}/r/{link.code}"
    publication = share.publication
    if publication is None:
        # A share scheduled before the organization required its disclosure goes out with it too.
        text = share_text(organization=organization, channel=share.channel, text=share.text)
        # Shares written before the tracked link replaced the typed address get it now too.
        text = with_tracked_link(text, destination=share.content.url, tracked=link_url)
        if text != share.text:
            share.text = text
            Share.objects.for_org(organization).filter(pk=share.pk).update(text=text)
        # Keyed by share and attempt: a rerun after a lost worker gets the same publication back.
        publication = publication_create(
            organization=organization,
            connection=share.connection,
            text=share.text,
            link_url=link_url,
            image_url=_image_url(share),
            language=share.content.language,
            link_title=link_card_title(share.content),
            link_description=share.content.preview_description,
            idempotency_key=idempotency_key(share),
        )
        Share.objects.for_org(organization).filter(pk=share.pk).update(publication=publication)
        share.publication = publication
    if publication.status == Publication.Status.PENDING:
        publication = publication_execute(organization=organization, publication=publication)
    elif publication.status in (Publication.Status.PUBLISHING, Publication.Status.UNKNOWN):
        publication_reconcile(organization=organization, publication=publication)
        publication.refresh_from_db()
    return _mirror_publication(organization, share, publication)


def share_confirm_posted(*, organization: Organization, share: Share, posted: bool) -> Share:
    """The employee looked at their profile: the post is there (published now) or it is
    not (sent again at once; the network showed nothing went out)."""
    ensure_in_org(organization, share)
    publication = share.publication
    if (
        share.status != Share.Status.UNKNOWN
        or publication is None
        or not publication.needs_manual_check
    ):
        raise ValidationError(_("This share is not waiting for you to check it."))
    publication = publication_resolve(
        organization=organization, publication=publication, posted=posted
    )
    share = _mirror_publication(organization, share, publication)
    if share.status == Share.Status.SCHEDULED:
        now = timezone.now()
        Share.objects.for_org(organization).filter(pk=share.pk).update(
            scheduled_at=now, dispatched_at=now
        )
        from ..tasks import publish_share

        enqueue_on_commit(publish_share, organization_id=organization.pk, share_id=share.pk)
    return share


def share_mirror_settled(*, organization: Organization, publication_id: int) -> Share | None:
    """The social app settled a lost publication: the share shows it at once."""
    share = (
        Share.objects.for_org(organization)
        .filter(publication_id=publication_id, status__in=IN_FLIGHT)
        .select_related("publication", "content", "connection")
        .first()
    )
    if share is None or share.publication is None:
        return None
    return _mirror_publication(organization, share, share.publication)


def link_card_title(content) -> str:
    """The title a network's link card shows: the content's own (its page's title where
    the curator kept it), else the destination's site name, never the short link."""
    title = (content.display_title or "").strip()
    if title:
        return title
    host = urlsplit(content.url or "").hostname or ""
    return host.removeprefix("www.")


def _image_url(share: Share) -> str:
    image = share.content.display_image
    if image and image.startswith("/"):
        return settings.SITE_URL + image
    return image or ""


def _mirror_publication(
    organization: Organization, share: Share, publication: Publication
) -> Share:
    status = publication.status
    if status == Publication.Status.PUBLISHED:
        return _mirror(
            organization,
            share,
            status=Share.Status.PUBLISHED,
            published_at=publication.published_at,
        )
    if status == Publication.Status.FAILED:
        return _mirror(organization, share, status=Share.Status.FAILED, error=publication.error)
    if status == Publication.Status.PENDING:
        # The network asked us to wait (rate limit, a passing fault): not a failure, back in line.
        retry_at = publication.retry_at or timezone.now() + DEFER
        return _mirror(
            organization,
            share,
            status=Share.Status.SCHEDULED,
            scheduled_at=retry_at,
            dispatched_at=None,
        )
    if status == Publication.Status.UNKNOWN:
        # Shown to the employee ("checking…", or asking them to look at their profile).
        share = _mirror(organization, share, status=Share.Status.UNKNOWN, error=publication.error)
        if publication.needs_manual_check:
            from .checks import share_check_ask

            share_check_ask(organization=organization, share=share)  # once per share
        return share
    return _mirror(organization, share, status=Share.Status.PUBLISHING)


@transaction.atomic
def _mirror(organization: Organization, share: Share, *, status: str, **fields) -> Share:
    now = timezone.now()
    share.status = status
    share.status_changed_at = now
    if status == Share.Status.PUBLISHED:
        fields["published_at"] = fields.get("published_at") or now
        fields["error"] = ""
        if share.connection is not None:
            fields["followers_at_share"] = share.connection.followers
    if "error" in fields:
        fields["error"] = (fields["error"] or "")[:500]
    for name, value in fields.items():
        setattr(share, name, value)
    share.save(update_fields=["status", "status_changed_at", *fields])
    if status == Share.Status.PUBLISHED:
        events.publish(
            events.SharePublished(
                organization_id=organization.pk,
                share_id=share.pk,
                membership_id=share.membership_id,
                network=share.channel,
                campaign_id=share.campaign_id,
                published_at=share.published_at,
                content_title=share.content.title,
            )
        )
    elif status == Share.Status.FAILED:
        log.warning(
            "share %s of organization %s failed: %s", share.pk, organization.pk, share.error
        )
    return share
