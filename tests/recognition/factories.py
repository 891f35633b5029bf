"""Factories and small helpers for the recognition tests."""

from __future__ import annotations

import itertools

import factory

from recognition.models import Cause, Reward
from recognition.services import points_award

_keys = itertools.count(1)


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Gift card {n}")
    kind = Reward.Kind.GIFT_CARD
    cost_points = 100
    value = 10
    stock = None


def give_points(membership, points, *, cause=Cause.ADJUSTMENT, **fields):
    """Put points on an advocate's ledger the way the program does (a real ledger entry)."""
    return points_award(
        organization=membership.organization,
        membership=membership,
        cause=cause,
        points=points,
        idempotency_key=f"test:{next(_keys)}",
        **fields,
    )
