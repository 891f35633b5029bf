"""The demo data is realistic enough to show suppression and trends, and idempotent."""

import datetime

import pytest
from django.utils import timezone

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Role
from surveys import demo, selectors
from surveys.models import Meeting, OneOnOne, Participation, Response, Round

from .factories import make_team

pytestmark = pytest.mark.django_db


def test_seed_twice_makes_the_same_data(org_a, member_factory):
    sales = make_team(org_a, "Sales")
    manager = member_factory(org_a, Role.MANAGER, team=sales)
    people = {"admin": member_factory(org_a, Role.ADMIN), "manager": manager}
    for index in range(1, 8):
        people[f"employee{index}"] = member_factory(org_a, team=sales, manager=manager)
    with org_context(org_a):
        demo.seed(organization=org_a, people=people)
        counts = (
            Round.objects.count(),
            Response.objects.count(),
            Participation.objects.count(),
            Meeting.objects.count(),
        )
        demo.seed(organization=org_a, people=people)
    assert (
        Round.objects.count(),
        Response.objects.count(),
        Participation.objects.count(),
        Meeting.objects.count(),
    ) == counts
    assert OneOnOne.objects.count() == 1
    today = timezone.localdate()
    trend = selectors.enps_trend(
        organization=org_a, start=today - datetime.timedelta(days=100), end=today
    )
    # The demo organization is small: where an eNPS option was picked by fewer than the
    # threshold, the score is suppressed like the counts (test_headline_figures).
    assert len(trend) == 2
    assert all((row["score"] is None) == row["suppressed"] for row in trend)
    open_rounds = selectors.rounds_open_for(organization=org_a, membership=people["employee1"])
    assert len(open_rounds) == 1 and not open_rounds[0]["answered"]
