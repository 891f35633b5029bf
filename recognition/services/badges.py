"""Badges are awarded once, when an advocate's counted ledger reaches a badge's threshold."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from advocacy.tenancy.models import Membership, Organization

from ..models import Badge, BadgeAward
from ..selectors import member_metrics


def _award(organization: Organization, membership: Membership, badge: Badge) -> BadgeAward | None:
    try:
        with transaction.atomic():
            return BadgeAward.objects.create(
                organization=organization, badge=badge, membership=membership
            )
    except IntegrityError:
        return None  # already has it


def badges_evaluate(*, organization: Organization, membership: Membership) -> list[BadgeAward]:
    owned = set(
        BadgeAward.objects.for_org(organization)
        .filter(membership=membership)
        .values_list("badge_id", flat=True)
    )
    pending = [
        badge
        for badge in Badge.objects.for_org(organization)
        .filter(is_active=True)
        .exclude(metric=Badge.Metric.ALL_COURSES)
        if badge.pk not in owned
    ]
    if not pending:
        return []
    metrics = member_metrics(organization=organization, membership=membership)
    awarded = []
    for badge in pending:
        if metrics.get(badge.metric, 0) >= badge.threshold:
            award = _award(organization, membership, badge)
            if award is not None:
                awarded.append(award)
    return awarded


def training_completed_record(
    *, organization: Organization, membership: Membership
) -> list[BadgeAward]:
    """The training side says this advocate finished every course of the program."""
    awarded = []
    for badge in Badge.objects.for_org(organization).filter(
        is_active=True, metric=Badge.Metric.ALL_COURSES
    ):
        award = _award(organization, membership, badge)
        if award is not None:
            awarded.append(award)
    return awarded
