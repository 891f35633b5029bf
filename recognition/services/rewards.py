"""The rewards catalog: redemption (race-safe), approval against the period's budget, refunds.

Lock order is always: the advocate's ledger lock, then the reward row. Two advocates
racing for the last item queue on the reward row; one advocate racing themselves queues
on their ledger lock. Stock is reserved when the request is made and given back on rejection.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.audit.services import audit_record
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization

from ..models import Cause, Redemption, Reward
from ..periods import local_today, moment_range
from ..selectors import reward_budget_for, rewards_cost
from .ledger import balance_locked, entry_append_locked, member_lock

# RewardBudget.amount holds 12 digits, 2 of them decimals.
MAX_BUDGET = Decimal("10000000000")

REWARD_FIELDS = (
    "name",
    "description",
    "kind",
    "cost_points",
    "value",
    "stock",
    "is_available",
    "available_until",
)


def reward_save(*, organization: Organization, reward: Reward | None = None, **fields) -> Reward:
    reward = reward or Reward(organization=organization)
    ensure_in_org(organization, reward)
    for name, value in fields.items():
        if name not in REWARD_FIELDS:
            raise ValueError(name)
        setattr(reward, name, value)
    if not reward.cost_points or reward.cost_points < 1:
        raise ValidationError({"cost_points": _("A reward costs at least 1 point.")})
    if reward.value is None or Decimal(reward.value) < 0:
        raise ValidationError({"value": _("A reward's value cannot be negative.")})
    if reward.stock is not None and reward.stock < 0:
        raise ValidationError({"stock": _("Stock cannot be negative.")})
    reward.full_clean(exclude=["organization"])
    reward.save()
    return reward


def reward_redeem(
    *, organization: Organization, membership: Membership, reward: Reward
) -> Redemption:
    ensure_in_org(organization, reward, membership)
    with transaction.atomic():
        member_lock(organization=organization, membership=membership)
        reward = Reward.objects.for_org(organization).select_for_update().get(pk=reward.pk)
        if not reward.is_available or (
            reward.available_until and reward.available_until < local_today(organization)
        ):
            raise ValidationError(_("This reward is not available any more."))
        if not reward.in_stock():
            raise ValidationError(_("This reward is out of stock."))
        balance = balance_locked(organization=organization, membership=membership)
        if balance < reward.cost_points:
            raise ValidationError(
                _("You need %(cost)s points for this reward and have %(balance)s.")
                % {"cost": reward.cost_points, "balance": balance}
            )
        if reward.stock is not None:
            reward.stock -= 1
            reward.save(update_fields=["stock"])
        redemption = Redemption.objects.create(
            organization=organization,
            reward=reward,
            membership=membership,
            points=reward.cost_points,
            value=reward.value,
        )
        entry_append_locked(
            organization=organization,
            membership=membership,
            cause=Cause.REDEMPTION,
            points=-reward.cost_points,
            idempotency_key=f"redemption:{redemption.pk}",
            reference_id=redemption.pk,
            reason=reward.name,
        )
    return redemption


def _locked_request(organization: Organization, redemption: Redemption) -> Redemption:
    ensure_in_org(organization, redemption)
    redemption = Redemption.objects.for_org(organization).select_for_update().get(pk=redemption.pk)
    if redemption.status != Redemption.Status.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    return redemption


def _audit(organization, actor, action, redemption) -> None:
    audit_record(
        organization=organization,
        actor=actor,
        action=action,
        target=redemption,
        details={
            "reward": redemption.reward_id,
            "points": redemption.points,
            "note": redemption.note,
        },
    )


def redemption_approve(
    *, organization: Organization, redemption: Redemption, actor: Membership, note: str = ""
) -> Redemption:
    ensure_in_org(organization, actor)
    with transaction.atomic():
        redemption = _locked_request(organization, redemption)
        if redemption.membership_id == actor.pk:
            # Separation of duties: nobody grants themselves a reward. Rejecting one's own
            # request stays possible: it only gives the points back.
            raise ValidationError(_("Your own reward request needs another admin's approval."))
        budget = reward_budget_for(organization=organization, day=local_today(organization))
        if budget is not None:
            # Approvals of one organization queue on its budget row, so two cannot both squeeze in.
            budget = (
                type(budget).objects.for_org(organization).select_for_update().get(pk=budget.pk)
            )
            start, end = moment_range(organization, budget.period_start, budget.period_end)
            spent = rewards_cost(organization=organization, start=start, end=end)
            if spent + redemption.value > budget.amount:
                raise ValidationError(
                    _(
                        "Approving this would exceed the rewards budget of the period (%(left)s left)."
                    )
                    % {"left": max(Decimal(0), budget.amount - spent)}
                )
        redemption.status = Redemption.Status.APPROVED
        redemption.decided_at, redemption.decided_by = timezone.now(), actor
        redemption.note = note[:500]
        redemption.save(update_fields=["status", "decided_at", "decided_by", "note"])
        _audit(organization, actor, "redemption.approved", redemption)
    return redemption


def redemption_reject(
    *, organization: Organization, redemption: Redemption, actor: Membership, note: str = ""
) -> Redemption:
    with transaction.atomic():
        member_lock(organization=organization, membership=redemption.membership)
        redemption = _locked_request(organization, redemption)
        reward = (
            Reward.objects.for_org(organization).select_for_update().get(pk=redemption.reward_id)
        )
        if reward.stock is not None:
            reward.stock += 1
            reward.save(update_fields=["stock"])
        entry_append_locked(
            organization=organization,
            membership=redemption.membership,
            cause=Cause.REFUND,
            points=redemption.points,
            idempotency_key=f"refund:{redemption.pk}",
            reference_id=redemption.pk,
            reason=note or reward.name,
        )
        redemption.status = Redemption.Status.REJECTED
        redemption.decided_at, redemption.decided_by = timezone.now(), actor
        redemption.note = note[:500]
        redemption.save(update_fields=["status", "decided_at", "decided_by", "note"])
        _audit(organization, actor, "redemption.rejected", redemption)
    return redemption


def redemption_fulfil(
    *, organization: Organization, redemption: Redemption, actor: Membership, note: str
) -> Redemption:
    ensure_in_org(organization, redemption, actor)
    with transaction.atomic():
        redemption = (
            Redemption.objects.for_org(organization).select_for_update().get(pk=redemption.pk)
        )
        if redemption.status != Redemption.Status.APPROVED:
            raise ValidationError(_("Only an approved request can be fulfilled."))
        redemption.status = Redemption.Status.FULFILLED
        redemption.note = (note or redemption.note)[:500]
        redemption.save(update_fields=["status", "note"])
        _audit(organization, actor, "redemption.fulfilled", redemption)
    return redemption


def budget_set(*, organization: Organization, period_start, period_end, amount: Decimal):
    from ..models import RewardBudget

    if period_end <= period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if amount < 0:
        raise ValidationError({"amount": _("A budget cannot be negative.")})
    if amount >= MAX_BUDGET:
        raise ValidationError({"amount": _("This budget is too large.")})
    overlapping = (
        RewardBudget.objects.for_org(organization)
        .filter(period_start__lt=period_end, period_end__gt=period_start)
        .exclude(period_start=period_start)
    )
    if overlapping.exists():
        raise ValidationError(_("This period overlaps another budget."))
    budget, _created = RewardBudget.objects.update_or_create(
        organization=organization,
        period_start=period_start,
        defaults={"period_end": period_end, "amount": amount},
    )
    return budget
