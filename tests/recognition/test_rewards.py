"""The rewards catalog: redemption, approval against budgets, refunds, liability."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from advocacy.tenancy.access import NotInOrganization
from advocacy.tenancy.models import Role
from recognition.models import Cause, PointEntry, Redemption
from recognition.periods import local_today
from recognition.selectors import balance_get, points_liability, rewards_cost
from recognition.services import (
    budget_set,
    redemption_approve,
    redemption_fulfil,
    redemption_reject,
    reward_redeem,
    settings_update,
)

from .factories import RewardFactory, give_points

pytestmark = pytest.mark.django_db


def test_redeeming_takes_the_points_and_reserves_stock(employee_a):
    reward = RewardFactory(organization=employee_a.organization, cost_points=100, stock=2)
    give_points(employee_a, 150)
    redemption = reward_redeem(
        organization=employee_a.organization, membership=employee_a, reward=reward
    )
    assert redemption.status == Redemption.Status.REQUESTED
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 50
    reward.refresh_from_db()
    assert reward.stock == 1


def test_more_points_than_the_balance_is_refused_and_nothing_changes(employee_a):
    reward = RewardFactory(organization=employee_a.organization, cost_points=100, stock=2)
    give_points(employee_a, 99)
    with pytest.raises(ValidationError, match="99"):
        reward_redeem(organization=employee_a.organization, membership=employee_a, reward=reward)
    reward.refresh_from_db()
    assert reward.stock == 2
    assert not Redemption.objects.exists()
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 99


def test_out_of_stock_and_unavailable_rewards_are_refused(employee_a):
    org = employee_a.organization
    give_points(employee_a, 1000)
    for reward in (
        RewardFactory(organization=org, stock=0),
        RewardFactory(organization=org, is_available=False),
        RewardFactory(
            organization=org, available_until=local_today(org) - datetime.timedelta(days=1)
        ),
    ):
        with pytest.raises(ValidationError):
            reward_redeem(organization=org, membership=employee_a, reward=reward)
    assert balance_get(organization=org, membership=employee_a) == 1000
    assert not Redemption.objects.exists()


def test_a_reward_of_another_organization_cannot_be_redeemed(employee_a, org_b):
    give_points(employee_a, 1000)
    with pytest.raises(NotInOrganization):
        reward_redeem(
            organization=employee_a.organization,
            membership=employee_a,
            reward=RewardFactory(organization=org_b),
        )
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 1000


def test_rejection_refunds_the_points_and_returns_the_stock(employee_a, admin_a):
    org = employee_a.organization
    reward = RewardFactory(organization=org, cost_points=100, stock=1)
    give_points(employee_a, 100)
    redemption = reward_redeem(organization=org, membership=employee_a, reward=reward)
    redemption_reject(organization=org, redemption=redemption, actor=admin_a, note="Not this month")
    assert balance_get(organization=org, membership=employee_a) == 100
    assert PointEntry.objects.filter(cause=Cause.REFUND).count() == 1
    reward.refresh_from_db()
    assert reward.stock == 1
    with pytest.raises(ValidationError):  # decided once only: no second refund
        redemption_reject(organization=org, redemption=redemption, actor=admin_a)
    assert balance_get(organization=org, membership=employee_a) == 100


def test_approval_counts_in_rewards_cost_and_fulfilment_keeps_a_note(employee_a, admin_a):
    org = employee_a.organization
    reward = RewardFactory(organization=org, cost_points=100, value=Decimal("25.00"))
    give_points(employee_a, 100)
    redemption = reward_redeem(organization=org, membership=employee_a, reward=reward)
    today = local_today(org)
    assert rewards_cost(organization=org, start=today, end=today + datetime.timedelta(days=1)) == 0
    redemption_approve(organization=org, redemption=redemption, actor=admin_a)
    assert rewards_cost(
        organization=org, start=today, end=today + datetime.timedelta(days=1)
    ) == Decimal("25.00")
    redemption_fulfil(organization=org, redemption=redemption, actor=admin_a, note="Code emailed")
    redemption.refresh_from_db()
    assert (redemption.status, redemption.note) == (Redemption.Status.FULFILLED, "Code emailed")


def test_approvals_stop_at_the_periods_budget(employee_a, admin_a):
    org = employee_a.organization
    today = local_today(org)
    budget_set(
        organization=org,
        period_start=today.replace(day=1),
        period_end=today + datetime.timedelta(days=40),
        amount=Decimal("30"),
    )
    reward = RewardFactory(organization=org, cost_points=10, value=Decimal("20"))
    give_points(employee_a, 100)
    first = reward_redeem(organization=org, membership=employee_a, reward=reward)
    second = reward_redeem(organization=org, membership=employee_a, reward=reward)
    redemption_approve(organization=org, redemption=first, actor=admin_a)
    with pytest.raises(ValidationError, match="budget"):
        redemption_approve(organization=org, redemption=second, actor=admin_a)
    second.refresh_from_db()
    assert second.status == Redemption.Status.REQUESTED


def test_liability_is_points_not_yet_redeemed_at_the_point_value(employee_a, org_a, member_factory):
    settings_update(organization=org_a, point_value=Decimal("0.05"))
    other = member_factory(org_a)
    give_points(employee_a, 300)
    give_points(other, 100)
    reward = RewardFactory(organization=org_a, cost_points=200)
    reward_redeem(organization=org_a, membership=employee_a, reward=reward)
    liability = points_liability(organization=org_a)
    assert (liability.points, liability.value, liability.pending_points) == (
        200,
        Decimal("10.00"),
        200,
    )


def test_an_admin_cannot_approve_their_own_request_but_another_admin_can(admin_a, member_factory):
    # Separation of duties, as for points: "You cannot adjust your own points".
    org = admin_a.organization
    reward = RewardFactory(organization=org, cost_points=100, value=Decimal("50"))
    give_points(admin_a, 100)
    own = reward_redeem(organization=org, membership=admin_a, reward=reward)
    with pytest.raises(ValidationError, match="another admin"):
        redemption_approve(organization=org, redemption=own, actor=admin_a)
    own.refresh_from_db()
    assert own.status == Redemption.Status.REQUESTED and own.decided_by is None
    today = local_today(org)
    assert rewards_cost(organization=org, start=today, end=today + datetime.timedelta(days=1)) == 0

    redemption_approve(organization=org, redemption=own, actor=member_factory(org, Role.ADMIN))
    own.refresh_from_db()
    assert own.status == Redemption.Status.APPROVED


def test_an_admin_may_withdraw_their_own_request_and_gets_the_points_back(admin_a):
    org = admin_a.organization
    give_points(admin_a, 100)
    own = reward_redeem(
        organization=org,
        membership=admin_a,
        reward=RewardFactory(organization=org, cost_points=100),
    )
    redemption_reject(organization=org, redemption=own, actor=admin_a)
    assert balance_get(organization=org, membership=admin_a) == 100
