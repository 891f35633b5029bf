"""Writes of content digests: the organization's default, a member's choice, the
one-click unsubscribe, and sending what is due (idempotent per member and period)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.audit.services import audit_record
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization

from . import selectors
from .emails import build_digest_email
from .models import Digest, DigestPolicy, DigestPreference, Frequency

log = logging.getLogger(__name__)


def _check_frequency(value: str, *, allow_default: bool) -> None:
    allowed = set(Frequency.values) | ({""} if allow_default else set())
    if value not in allowed:
        raise ValidationError({"frequency": _("Choose daily, weekly or never.")})


@transaction.atomic
def digest_policy_set(
    *, organization: Organization, actor: Membership, default_frequency: str
) -> DigestPolicy:
    _check_frequency(default_frequency, allow_default=False)
    ensure_in_org(organization, actor)
    policy, _created = DigestPolicy.objects.for_org(organization).get_or_create(
        organization=organization
    )
    before = policy.default_frequency if not _created else ""
    if before != default_frequency:
        policy.default_frequency = default_frequency
        policy.save(update_fields=["default_frequency", "updated_at"])
        audit_record(
            organization=organization,
            actor=actor,
            action="digest.default_changed",
            details={"from": before, "to": default_frequency},
        )
    return policy


@transaction.atomic
def digest_preference_set(
    *, organization: Organization, membership: Membership, frequency: str
) -> DigestPreference:
    """The member's own choice; "" follows the organization's default."""
    _check_frequency(frequency, allow_default=True)
    ensure_in_org(organization, membership)
    preference, _created = DigestPreference.objects.for_org(organization).update_or_create(
        organization=organization,
        membership=membership,
        defaults={"frequency": frequency, "unsubscribed_at": None},
    )
    return preference


@transaction.atomic
def digest_unsubscribe(*, organization: Organization, membership: Membership) -> bool:
    """The e-mail's unsubscribe link: this member receives no digest any more. Returns
    False when they already received none (a second use changes nothing)."""
    ensure_in_org(organization, membership)
    preference = (
        DigestPreference.objects.for_org(organization)
        .select_for_update()
        .filter(membership=membership)
        .first()
    )
    if preference is not None and preference.frequency == Frequency.NEVER:
        return False
    DigestPreference.objects.for_org(organization).update_or_create(
        organization=organization,
        membership=membership,
        defaults={"frequency": Frequency.NEVER, "unsubscribed_at": timezone.now()},
    )
    return True


def digest_send_due(*, organization: Organization, now: datetime | None = None) -> int:
    """Send each member the digest of their current period, if it is time, they have not
    had it yet, and there is something new for them. Returns how many were sent.

    The Digest row is claimed (unique per member and period) and committed before the
    e-mail goes out, so a rerun or an overlapping worker never sends a period twice; a
    send that fails stays in the log as failed, and is not retried within the period."""
    now = now or timezone.now()
    sent = 0
    for member in selectors.digest_members(organization=organization):
        frequency = member.digest_frequency
        period = selectors.digest_period(organization=organization, frequency=frequency, now=now)
        if period is None:
            continue
        if Digest.objects.for_org(organization).filter(membership=member, period=period).exists():
            continue
        since = selectors.digest_since(
            organization=organization, membership=member, frequency=frequency, now=now
        )
        items = selectors.digest_items(organization=organization, membership=member, since=since)
        if not items:
            continue  # nothing new for them: no e-mail (a later run this period may find some)
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    organization=organization,
                    membership=member,
                    frequency=frequency,
                    period=period,
                    items=[{"id": item.pk, "title": item.display_title} for item in items],
                    created_at=now,
                )
        except IntegrityError:
            continue  # another run claimed this period
        try:
            build_digest_email(
                organization=organization, membership=member, items=items, frequency=frequency
            ).send()
        except Exception as exc:  # the mail server: keep the row as failed, tell the admins
            log.warning("digest %s to member %s not sent: %s", digest.pk, member.pk, exc)
            Digest.objects.for_org(organization).filter(pk=digest.pk).update(
                status=Digest.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:300]
            )
            continue
        Digest.objects.for_org(organization).filter(pk=digest.pk).update(
            status=Digest.Status.SENT, sent_at=now
        )
        sent += 1
    return sent
