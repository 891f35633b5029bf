"""Shout-outs between colleagues, leaders' public thanks, reactions, comments, repost consent."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.permissions import MANAGERS

from ..models import (
    Cause,
    CompanyValue,
    EntryStatus,
    GamingFlag,
    PointEntry,
    Reaction,
    RepostRequest,
    ShoutOut,
)
from ..periods import day_start, local_today
from .badges import badges_evaluate
from .ledger import entry_append_locked, member_lock
from .program import settings_ensure

# Two people sending each other this many shout-outs each within the window look like a ring.
RING_WINDOW = datetime.timedelta(days=14)
RING_MIN_EACH_WAY = 3
MAX_MESSAGE = 1000


def is_leader(membership: Membership) -> bool:
    return membership.role in MANAGERS or membership.is_executive


def _check_people(
    organization: Organization, sender: Membership, recipient: Membership | None
) -> None:
    ensure_in_org(organization, sender, recipient)
    if recipient is None or not recipient.is_active:
        raise ValidationError({"recipient": _("Choose a colleague of this organization.")})
    if sender.pk == recipient.pk:
        raise ValidationError({"recipient": _("You cannot send a shout-out to yourself.")})


def _check_message(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a few words about what they did.")})
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": _("Keep it under %(max)s characters.") % {"max": MAX_MESSAGE}}
        )
    return message


def _hold_shoutout_points(organization, shoutouts, flag: GamingFlag) -> None:
    for entry in PointEntry.objects.for_org(organization).filter(
        cause=Cause.SHOUTOUT, reference_id__in=shoutouts.values("pk"), status=EntryStatus.COUNTED
    ):
        entry.status, entry.flag = EntryStatus.HELD, flag
        entry.save(update_fields=["status", "flag"])


def _cycle_flag(organization, recent, sender: Membership, recipient: Membership):
    """A ring of three (sender→recipient→third→sender), each link sent at least
    RING_MIN_EACH_WAY times in the window: points pass round the circle like a pair's do."""
    if recent.filter(sender=sender, recipient=recipient).count() < RING_MIN_EACH_WAY:
        return None

    def strong_links(**where) -> dict[int, int]:
        return dict(
            recent.filter(**where)
            .values_list("sender_id" if "recipient" in where else "recipient_id")
            .annotate(n=Count("id"))
            .filter(n__gte=RING_MIN_EACH_WAY)
        )

    # Who the recipient keeps thanking, and who keeps thanking the sender: the third closes the ring.
    onward = strong_links(sender=recipient)
    back = strong_links(recipient=sender)
    thirds = sorted((set(onward) & set(back)) - {sender.pk, recipient.pk})
    if not thirds:
        return None
    third = Membership.objects.for_org(organization).get(pk=thirds[0])
    first, second, last = sorted([sender, recipient, third], key=lambda m: m.pk)
    flag, _created = GamingFlag.objects.for_org(organization).get_or_create(
        organization=organization,
        kind=GamingFlag.Kind.SHOUTOUT_CYCLE,
        membership=first,
        other_membership=second,
        reference_id=last.pk,
        status=GamingFlag.Status.OPEN,
        defaults={
            "detail": _("%(a)s → %(b)s → %(c)s → %(a)s, at least %(n)s times each within 14 days")
            % {"a": sender.user, "b": recipient.user, "c": third.user, "n": RING_MIN_EACH_WAY}
        },
    )
    circle = recent.filter(
        Q(sender=sender, recipient=recipient)
        | Q(sender=recipient, recipient=third)
        | Q(sender=third, recipient=sender)
    )
    _hold_shoutout_points(organization, circle, flag)
    return flag


def _ring_flag(
    organization: Organization, sender: Membership, recipient: Membership
) -> GamingFlag | None:
    since = timezone.now() - RING_WINDOW
    recent = ShoutOut.objects.for_org(organization).filter(
        kind=ShoutOut.Kind.PEER, created_at__gte=since
    )
    one_way = recent.filter(sender=sender, recipient=recipient).count()
    other_way = recent.filter(sender=recipient, recipient=sender).count()
    if one_way < RING_MIN_EACH_WAY or other_way < RING_MIN_EACH_WAY:
        return _cycle_flag(organization, recent, sender, recipient)
    first, second = sorted([sender, recipient], key=lambda m: m.pk)
    flag, _created = GamingFlag.objects.for_org(organization).get_or_create(
        organization=organization,
        kind=GamingFlag.Kind.RECIPROCAL_SHOUTOUTS,
        membership=first,
        other_membership=second,
        status=GamingFlag.Status.OPEN,
        defaults={
            "detail": _("%(a)s and %(b)s shout-outs each way within 14 days")
            % {"a": one_way, "b": other_way}
        },
    )
    pair = recent.filter(
        Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender)
    )
    _hold_shoutout_points(organization, pair, flag)
    return flag


def shoutout_send(
    *,
    organization: Organization,
    sender: Membership,
    recipient: Membership | None,
    message: str,
    value: CompanyValue | None = None,
) -> ShoutOut:
    _check_people(organization, sender, recipient)
    message = _check_message(message)
    ensure_in_org(organization, value)
    if value is not None and not value.is_active:
        raise ValidationError({"value": _("Choose one of the organization's values.")})
    settings = settings_ensure(organization=organization)
    with transaction.atomic():
        # Both ledger locks up front, lowest id first, so A→B and B→A at once cannot deadlock;
        # the sender's lock also serializes their daily limit.
        for person in sorted([sender, recipient], key=lambda m: m.pk):
            member_lock(organization=organization, membership=person)
        sent_today = (
            ShoutOut.objects.for_org(organization)
            .filter(
                sender=sender,
                kind=ShoutOut.Kind.PEER,
                created_at__gte=day_start(organization, local_today(organization)),
            )
            .count()
        )
        if sent_today >= settings.shoutouts_per_day:
            raise ValidationError(
                _("You can send %(max)s shout-outs a day. Try again tomorrow.")
                % {"max": settings.shoutouts_per_day}
            )
        shoutout = ShoutOut.objects.create(
            organization=organization,
            sender=sender,
            recipient=recipient,
            message=message,
            value=value,
        )
        flag = _ring_flag(organization, sender, recipient)
        entry_append_locked(
            organization=organization,
            membership=recipient,
            cause=Cause.SHOUTOUT,
            points=settings.points_per_shoutout,
            idempotency_key=f"shoutout:{shoutout.pk}",
            reference_id=shoutout.pk,
            reason=_("Shout-out from %(name)s") % {"name": sender.user},
            flag=flag,
        )
        badges_evaluate(organization=organization, membership=recipient)
        badges_evaluate(organization=organization, membership=sender)
    return shoutout


def thanks_post(
    *,
    organization: Organization,
    sender: Membership,
    recipient: Membership | None,
    message: str,
    share_id: int | None = None,
    request_repost: bool = False,
) -> ShoutOut:
    """A leader thanks an advocate in the feed; optionally asks to repost their share."""
    if not is_leader(sender):
        raise ValidationError(
            _("Only admins, managers and executives can thank advocates publicly.")
        )
    _check_people(organization, sender, recipient)
    message = _check_message(message)
    if request_repost and not share_id:
        raise ValidationError({"share_id": _("Say which share you would like to repost.")})
    with transaction.atomic():
        shoutout = ShoutOut.objects.create(
            organization=organization,
            kind=ShoutOut.Kind.THANKS,
            sender=sender,
            recipient=recipient,
            message=message,
            share_id=share_id,
        )
        if request_repost:
            RepostRequest.objects.create(
                organization=organization,
                shoutout=shoutout,
                membership=recipient,
                share_id=share_id,
                requested_by=sender,
            )
    return shoutout


def repost_answer(
    *, organization: Organization, request: RepostRequest, membership: Membership, consent: bool
) -> RepostRequest:
    """Only the advocate may answer; consent hands the repost to the sharing side."""
    ensure_in_org(organization, request, membership)
    if request.membership_id != membership.pk:
        raise ValidationError(_("Only the advocate who shared can answer this request."))
    with transaction.atomic():
        request = RepostRequest.objects.for_org(organization).select_for_update().get(pk=request.pk)
        if request.status != RepostRequest.Status.WAITING:
            raise ValidationError(_("You already answered this request."))
        request.status = (
            RepostRequest.Status.CONSENTED if consent else RepostRequest.Status.DECLINED
        )
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        if consent:
            events.publish(
                events.ShareRepostRequested(
                    organization_id=organization.pk,
                    share_id=request.share_id,
                    membership_id=membership.pk,
                    requested_by_id=request.requested_by_id,
                    repost_request_id=request.pk,
                )
            )
    return request


def repost_outcome_record(
    *, organization: Organization, request: RepostRequest, ok: bool, error: str = ""
) -> RepostRequest:
    """What the sharing side reported after carrying out a consented repost. A success is
    final: a late or repeated failure report never hides that the share was reposted."""
    ensure_in_org(organization, request)
    with transaction.atomic():
        request = RepostRequest.objects.for_org(organization).select_for_update().get(pk=request.pk)
        if request.outcome == RepostRequest.Outcome.REPOSTED:
            return request
        request.outcome = RepostRequest.Outcome.REPOSTED if ok else RepostRequest.Outcome.FAILED
        request.outcome_error = "" if ok else (error or "")[:255]
        request.outcome_at = timezone.now()
        request.save(update_fields=["outcome", "outcome_error", "outcome_at"])
    return request


def reaction_toggle(
    *, organization: Organization, shoutout: ShoutOut, membership: Membership, emoji: str
) -> bool:
    """Add the reaction, or take it back when it is there. True when it is there now."""
    if emoji not in Reaction.Emoji.values:
        raise ValidationError({"emoji": _("Choose one of the reactions.")})
    ensure_in_org(organization, shoutout, membership)
    existing = Reaction.objects.for_org(organization).filter(
        shoutout=shoutout, membership=membership, emoji=emoji
    )
    if existing.exists():
        existing.delete()
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(
                organization=organization, shoutout=shoutout, membership=membership, emoji=emoji
            )
    except IntegrityError:
        pass  # a double click: it is there
    return True


def comment_add(*, organization: Organization, shoutout: ShoutOut, author: Membership, text: str):
    from ..models import Comment

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    if len(text) > 500:
        raise ValidationError({"text": _("Keep comments under 500 characters.")})
    ensure_in_org(organization, shoutout, author)
    return Comment.objects.create(
        organization=organization, shoutout=shoutout, author=author, text=text
    )
