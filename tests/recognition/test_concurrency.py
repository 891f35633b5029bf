"""Two redemptions racing: real threads, real transactions.

Run on PostgreSQL (the real locks) with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/chorus_recognition; on SQLite the
database serializes writers itself, and the same assertions hold."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, close_old_connections, connection

from advocacy.tenancy.context import org_context
from recognition.models import Redemption, Reward
from recognition.selectors import balance_get
from recognition.services import reward_redeem

from .factories import RewardFactory, give_points

pytestmark = pytest.mark.django_db(transaction=True)


def _race(organization, attempts):
    """Run each (membership, reward) redemption in its own thread, released together."""
    barrier = threading.Barrier(len(attempts))
    outcomes = []

    def attempt(membership, reward):
        try:
            with org_context(organization):
                barrier.wait()
                reward_redeem(organization=organization, membership=membership, reward=reward)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except OperationalError:  # SQLite's "database is locked": also a refusal, nothing written
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return sorted(outcomes)


def test_two_redemptions_racing_for_one_balance_never_overdraw(org_a, member_factory):
    advocate = member_factory(org_a)
    give_points(advocate, 100)
    first = RewardFactory(organization=org_a, cost_points=100)
    second = RewardFactory(organization=org_a, cost_points=100)
    assert _race(org_a, [(advocate, first), (advocate, second)]) == ["ok", "refused"]
    assert balance_get(organization=org_a, membership=advocate) == 0
    assert Redemption.objects.count() == 1


def test_two_advocates_racing_for_the_last_item_never_oversell(org_a, member_factory):
    one, two = member_factory(org_a), member_factory(org_a)
    for person in (one, two):
        give_points(person, 100)
    last = RewardFactory(organization=org_a, cost_points=50, stock=1)
    assert _race(org_a, [(one, last), (two, last)]) == ["ok", "refused"]
    assert Reward.objects.get(pk=last.pk).stock == 0
    assert Redemption.objects.count() == 1
    assert sorted(balance_get(organization=org_a, membership=p) for p in (one, two)) == [50, 100]
