"""Making shares: the composer (published through a connection, now or later) and the
by-hand paths (share-intent links, copy, the phone's share sheet). Every path checks
the same rules and gives the share its own tracked link."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.access import ensure_in_org, ensure_owned_by
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.tasks import enqueue_on_commit
from content_library.models import ContentItem
from content_library.networks import NETWORK_LIMITS, effective_length, fits, too_many_bytes
from content_library.selectors import guidelines_acknowledged
from social.models import Connection

from ..disclosure import disclosure_for, with_disclosure
from ..intents import BY_HAND_CHANNELS, LINK_AS_CARD, post_text
from ..links import short_base_url, tracked_link_create, with_tracked_link
from ..models import CampaignSettings, Share
from ..selectors import active_campaign_for_content, campaign_settings_get, shareable_content_get

# Channels with no length rule of their own still get a sane cap.
MAX_TEXT_LENGTH = 5000
# A time a few seconds in the past (the form took a moment) still means "now".
PAST_GRACE = datetime.timedelta(minutes=1)
MAX_SCHEDULE_AHEAD = datetime.timedelta(days=90)
USABLE_CONNECTION = (Connection.Status.ACTIVE, Connection.Status.EXPIRING)
# Shares that count toward the daily limit: everything that did or will go out.
COUNTED = ~Q(status__in=[Share.Status.CANCELLED, Share.Status.FAILED])


# --- the rules every path follows --------------------------------------------------


def counted_length(text: str, *, network: str, url: str) -> int:
    """Length as the network counts it, the tracked link included where it becomes part of the text."""
    full = text.strip() if network in LINK_AS_CARD else post_text(text, url)
    return effective_length(full, network)


def text_required(text: str) -> None:
    """The employee's own words, before the disclosure is added to them."""
    if not text.strip():
        raise ValidationError({"text": _("Write something to go with the link.")})


def text_check(*, text: str, network: str, url: str, disclosure: str = "") -> None:
    """`text` as it goes out (disclosure included); `disclosure` names it in the message."""
    text_required(text)
    limit = NETWORK_LIMITS.get(network, MAX_TEXT_LENGTH)
    length = counted_length(text, network=network, url=url)
    if length > limit:
        values = {"network": Share.Channel(network).label, "length": length, "limit": limit}
        if disclosure:
            message = _(
                "Too long for %(network)s: %(length)s characters with the disclosure "
                "%(disclosure)s your organization adds to every post, the limit is %(limit)s."
            ) % dict(values, disclosure=disclosure)
        else:
            message = (
                _("Too long for %(network)s: %(length)s characters, the limit is %(limit)s.")
                % values
            )
        raise ValidationError({"text": message})
    full = text.strip() if network in LINK_AS_CARD else post_text(text, url)
    if network in NETWORK_LIMITS and not fits(full, network):  # Bluesky: 3,000 bytes too
        raise ValidationError({"text": too_many_bytes(full, network, Share.Channel(network).label)})


def _local(organization: Organization, when: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(when, zoneinfo.ZoneInfo(organization.timezone))


def within_sharing_hours(sharing_settings: CampaignSettings, local: datetime.datetime) -> bool:
    opens, closes = sharing_settings.sharing_starts, sharing_settings.sharing_ends
    if opens is None or closes is None:
        return True
    moment = local.time()
    if opens < closes:
        return opens <= moment < closes
    return moment >= opens or moment < closes  # hours across midnight, e.g. 20:00–02:00


def sharing_rules_check(
    *,
    organization: Organization,
    membership: Membership,
    content: ContentItem,
    when: datetime.datetime,
) -> None:
    """The organization's guard rails: sharing hours and a daily number of posts per employee.

    The limit counts different items per local day: one post sent to three networks is one post."""
    sharing_settings = campaign_settings_get(organization=organization)
    local = _local(organization, when)
    if not within_sharing_hours(sharing_settings, local):
        raise ValidationError(
            _(
                "Sharing is open from %(opens)s to %(closes)s (%(zone)s). Please schedule it within those hours."
            )
            % {
                "opens": formats.time_format(sharing_settings.sharing_starts, "TIME_FORMAT"),
                "closes": formats.time_format(sharing_settings.sharing_ends, "TIME_FORMAT"),
                "zone": organization.timezone,
            }
        )
    limit = sharing_settings.daily_share_limit
    if limit is None:
        return
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + datetime.timedelta(days=1)
    shared_that_day = (
        Share.objects.for_org(organization)
        .filter(COUNTED, membership=membership)
        .annotate(goes_out=Coalesce("scheduled_at", "created_at"))
        .filter(goes_out__gte=day_start, goes_out__lt=day_end)
        .exclude(content=content)
        .values("content_id")
        .distinct()
        .count()
    )
    if shared_that_day >= limit:
        raise ValidationError(
            _(
                "You have reached today's limit of %(limit)s posts. Schedule this one for another day."
            )
            % {"limit": limit}
        )


def _can_share(
    *, organization: Organization, membership: Membership, content: ContentItem
) -> ContentItem:
    if not guidelines_acknowledged(organization=organization, membership=membership):
        raise ValidationError(
            _("Please read and acknowledge the social media guidelines before sharing."),
            code="guidelines",
        )
    fresh = shareable_content_get(organization=organization, membership=membership, pk=content.pk)
    if fresh is None:  # a field error: the id names an item this person may not share
        raise ValidationError(
            {
                "content": ValidationError(
                    _("This post has expired or is no longer available to share."),
                    code="unavailable",
                )
            }
        )
    return fresh


def _short_url(organization: Organization, share: Share) -> str:
    if not share.content.url:
        return ""
    link = tracked_link_create(organization=organization, share=share)
    return f"{short_base_url(organization)}/r/{link.code}"


def _link_in_place(share: Share, url: str) -> None:
    """The content's own address typed in the text becomes the share's tracked link, so
    the post carries one link (the one that counts the click) instead of both."""
    placed = with_tracked_link(share.text, destination=share.content.url, tracked=url)
    if placed != share.text:
        share.text = placed
        share.save(update_fields=["text"])


def _mark(share: Share, status: str, **fields) -> None:
    share.status = status
    share.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(share, name, value)
    share.save(update_fields=["status", "status_changed_at", *fields])


# --- the composer: publish through connections ------------------------------------------


@transaction.atomic
def share_compose(
    *,
    organization: Organization,
    membership: Membership,
    content: ContentItem,
    text: str,
    connections: Sequence[Connection],
    scheduled_at: datetime.datetime | None = None,
    batch: uuid.UUID | None = None,
) -> list[Share]:
    """One post to one or more connected networks, now or at `scheduled_at`.

    Submitting the same `batch` again returns the shares it already made."""
    if batch is not None:
        earlier = list(
            Share.objects.for_org(organization).filter(batch=batch, membership=membership)
        )
        if earlier:
            return earlier
    content = _can_share(organization=organization, membership=membership, content=content)
    text_required(text)
    if not connections:
        raise ValidationError({"connections": _("Choose at least one network.")})
    ensure_in_org(organization, *connections)
    for connection in connections:
        if connection.membership_id != membership.pk:
            raise ValidationError({"connections": _("Choose one of your own connected accounts.")})
        if connection.status not in USABLE_CONNECTION:
            raise ValidationError(
                {
                    "connections": _("Your %(network)s account needs reconnecting first.")
                    % {"network": connection.get_network_display()}
                }
            )
    if len({c.network for c in connections}) != len(connections):
        raise ValidationError({"connections": _("Choose one account per network.")})
    now = timezone.now()
    if scheduled_at is not None:
        if scheduled_at < now - PAST_GRACE:
            raise ValidationError(
                {"scheduled_at": _("That time has passed. Choose a time in the future.")}
            )
        if scheduled_at > now + MAX_SCHEDULE_AHEAD:
            raise ValidationError({"scheduled_at": _("Schedule at most 90 days ahead.")})
    later = scheduled_at is not None and scheduled_at > now
    when = scheduled_at if later else now
    sharing_rules_check(
        organization=organization, membership=membership, content=content, when=when
    )
    campaign = active_campaign_for_content(
        organization=organization, membership=membership, content=content
    )
    shares = []
    for connection in connections:
        disclosure = disclosure_for(organization=organization, channel=connection.network)
        share = Share.objects.create(
            organization=organization,
            membership=membership,
            content=content,
            campaign=campaign,
            channel=connection.network,
            connection=connection,
            text=with_disclosure(text, disclosure),
            status=Share.Status.SCHEDULED if later else Share.Status.PENDING,
            scheduled_at=when,
            batch=batch,
            # Published right away by the task below; the dispatcher only steps in if that task is lost.
            dispatched_at=None if later else now,
        )
        url = _short_url(organization, share)
        _link_in_place(share, url)
        text_check(
            text=share.text,
            network=connection.network,
            url=url,
            disclosure=disclosure if with_disclosure(text, disclosure) != text.strip() else "",
        )
        shares.append(share)
    if not later:
        from ..tasks import publish_share

        for share in shares:
            enqueue_on_commit(publish_share, organization_id=organization.pk, share_id=share.pk)
    return shares


def share_retry(*, organization: Organization, share: Share, actor: Membership) -> Share:
    """The advocate tries their failed share again (a new attempt, so a new idempotency
    key on the network)."""
    ensure_in_org(organization, share, actor)
    ensure_owned_by(actor, share)
    if share.status != Share.Status.FAILED:
        raise ValidationError(_("Only a failed share can be tried again."))
    if share.connection_id is None or share.connection.status not in USABLE_CONNECTION:
        raise ValidationError(_("Reconnect your account first, then try again."))
    now = timezone.now()
    sharing_rules_check(
        organization=organization, membership=share.membership, content=share.content, when=now
    )
    with transaction.atomic():
        updated = (
            Share.objects.for_org(organization)
            .filter(pk=share.pk, status=Share.Status.FAILED)
            .update(
                status=Share.Status.PENDING,
                status_changed_at=now,
                scheduled_at=now,
                dispatched_at=now,
                attempts=share.attempts + 1,
                error="",
                publication=None,
            )
        )
        if updated:
            from ..tasks import publish_share

            enqueue_on_commit(publish_share, organization_id=organization.pk, share_id=share.pk)
    share.refresh_from_db()
    return share


def share_cancel(*, organization: Organization, share: Share, actor: Membership) -> Share:
    """The advocate cancels their scheduled share before it goes out."""
    ensure_in_org(organization, share, actor)
    ensure_owned_by(actor, share)
    updated = (
        Share.objects.for_org(organization)
        .filter(pk=share.pk, status=Share.Status.SCHEDULED)
        .update(status=Share.Status.CANCELLED, status_changed_at=timezone.now())
    )
    if not updated:
        raise ValidationError(
            _("Only a scheduled share that has not gone out yet can be cancelled.")
        )
    share.refresh_from_db()
    return share


# --- by hand: share-intent links, copy, the phone's share sheet -------------------------------


def share_record_by_hand(
    *,
    organization: Organization,
    membership: Membership,
    content: ContentItem,
    channel: str,
    text: str,
) -> tuple[Share, str]:
    """Record that the employee is posting by hand and return (share, short URL).

    One share per advocate, item and channel: pressing the button again reuses it
    and its tracked link, and counts once toward the daily limit and recognition."""
    if channel not in BY_HAND_CHANNELS:
        raise ValidationError({"channel": _("Choose a way to share.")})
    content = _can_share(organization=organization, membership=membership, content=content)
    if channel in NETWORK_LIMITS:
        text_required(text)
    disclosure = disclosure_for(organization=organization, channel=channel)
    full = with_disclosure(text, disclosure)
    added = disclosure if full != text.strip() else ""
    existing = _by_hand_get(organization, membership, content, channel)
    if existing is None:
        now = timezone.now()
        sharing_rules_check(
            organization=organization, membership=membership, content=content, when=now
        )
        campaign = active_campaign_for_content(
            organization=organization, membership=membership, content=content
        )
        try:
            with transaction.atomic():
                share = Share.objects.create(
                    organization=organization,
                    membership=membership,
                    content=content,
                    campaign=campaign,
                    channel=channel,
                    text=full,
                    status=Share.Status.SHARED_BY_HAND,
                    published_at=now,
                )
                url = _short_url(organization, share)
                _link_in_place(share, url)
                if channel in NETWORK_LIMITS:
                    text_check(text=share.text, network=channel, url=url, disclosure=added)
                events.publish(
                    events.SharePublished(
                        organization_id=organization.pk,
                        share_id=share.pk,
                        membership_id=membership.pk,
                        network=channel,
                        campaign_id=campaign.pk if campaign else None,
                        published_at=now,
                        content_title=content.title,
                    )
                )
                return share, url
        except IntegrityError:
            existing = _by_hand_get(
                organization, membership, content, channel
            )  # a double click won the race
            if existing is None:
                raise
    url = _short_url(organization, existing)
    full = with_tracked_link(full, destination=existing.content.url, tracked=url)
    if channel in NETWORK_LIMITS:
        text_check(text=full, network=channel, url=url, disclosure=added)
    if text.strip() and full != existing.text:
        existing.text = full
        existing.save(update_fields=["text"])
    return existing, url


def _by_hand_get(organization, membership, content, channel) -> Share | None:
    return (
        Share.objects.for_org(organization)
        .filter(
            membership=membership,
            content=content,
            channel=channel,
            status=Share.Status.SHARED_BY_HAND,
        )
        .select_related("content")
        .first()
    )
