"""Per-share counters that analytics pushes back through campaigns."""

from __future__ import annotations

import pytest

from campaigns.counters import share_clicks_add, share_counters_update
from campaigns.models import Share
from tests.analytics.factories import ShareFactory
from tests.isolation.actors import test_body_acts_as_system  # noqa: F401

pytestmark = pytest.mark.django_db


def _counters(share: Share) -> tuple:
    share.refresh_from_db()
    return (share.clicks, share.impressions, share.reactions, share.comments, share.reposts)


def test_given_counters_are_set_and_the_others_left_alone(org_a):
    share = ShareFactory(organization=org_a)
    assert share_counters_update(
        organization=org_a, share_id=share.pk, impressions=120, reactions=7
    )
    assert _counters(share) == (0, 120, 7, None, None)
    assert share_counters_update(organization=org_a, share_id=share.pk, comments=0, clicks=4)
    assert _counters(share) == (4, 120, 7, 0, None)  # 0 is a reported zero, None is "not reported"


def test_negative_counters_are_refused(org_a):
    share = ShareFactory(organization=org_a)
    with pytest.raises(ValueError):
        share_counters_update(organization=org_a, share_id=share.pk, reactions=-1)
    assert _counters(share) == (0, None, None, None, None)


def test_clicks_add_up_across_shares(org_a):
    first, second, third = (ShareFactory(organization=org_a) for _ in range(3))
    assert share_clicks_add(organization=org_a, added={first.pk: 3, second.pk: 3, third.pk: 1}) == 3
    assert share_clicks_add(organization=org_a, added={first.pk: 2, third.pk: 0}) == 1
    assert [_counters(s)[0] for s in (first, second, third)] == [5, 3, 1]


def test_another_organizations_share_is_not_touched(org_a, org_b):
    foreign = ShareFactory(organization=org_b)
    assert share_counters_update(organization=org_a, share_id=foreign.pk, impressions=999) is False
    assert share_clicks_add(organization=org_a, added={foreign.pk: 50}) == 0
    assert _counters(foreign) == (0, None, None, None, None)
