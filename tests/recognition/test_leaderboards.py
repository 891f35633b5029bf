"""Leaderboards: periods, segments, fairness per active advocate, executives, opt-outs, manager trees."""

import datetime

import pytest
from django.utils import timezone

from advocacy.tenancy.models import Role, Team
from recognition.selectors import leaderboard
from recognition.services import (
    preference_update,
    reward_redeem,
    settings_update,
    share_points_award,
)

from .factories import give_points

pytestmark = pytest.mark.django_db


def _share(member, share_id, *, points_network="x", when=None):
    share_points_award(
        organization=member.organization,
        membership=member,
        share_id=share_id,
        network=points_network,
        published_at=when,
    )


@pytest.fixture
def crafted_teams(org_a, member_factory):
    """Big team: 10 people, all active, 30 points each (300). Small team: 2 people, 100 each (200)."""
    big, small = (
        Team.objects.create(organization=org_a, name="Big"),
        Team.objects.create(organization=org_a, name="Small"),
    )
    settings_update(
        organization=org_a, points_per_network={"big": 30, "small": 100}, daily_cap=1000
    )
    share_id = 0
    for team, count, network in ((big, 10, "big"), (small, 2, "small")):
        for _ in range(count):
            share_id += 1
            _share(member_factory(org_a, team=team), share_id, points_network=network)
    member_factory(org_a, team=small)  # an inactive advocate does not dilute the small team
    return big, small


def test_total_points_favour_the_big_team_but_per_active_advocate_does_not(crafted_teams, admin_a):
    org = admin_a.organization
    by_total = leaderboard(organization=org, viewer=admin_a, segment="team")
    assert [(r.label, r.points) for r in by_total.rows] == [("Big", 300), ("Small", 200)]
    fair = leaderboard(organization=org, viewer=admin_a, segment="team", per_active_advocate=True)
    assert [(r.label, r.per_active_advocate, r.active_advocates) for r in fair.rows] == [
        ("Small", 100.0, 2),
        ("Big", 30.0, 10),
    ]


def test_location_and_role_boards(org_a, member_factory, admin_a):
    boston = member_factory(org_a, location="Boston")
    remote = member_factory(org_a, Role.MANAGER, location="Remote")
    give_points(boston, 40)
    give_points(remote, 10)
    assert [
        (r.label, r.points)
        for r in leaderboard(organization=org_a, viewer=admin_a, segment="location").rows
    ] == [("Boston", 40), ("Remote", 10)]
    roles = leaderboard(organization=org_a, viewer=admin_a, segment="role").rows
    assert [(r.label, r.points) for r in roles] == [("Employee", 40), ("Manager", 10)]


def test_periods_count_only_points_earned_in_them(employee_a, admin_a):
    org = employee_a.organization
    _share(employee_a, 1)
    _share(employee_a, 2, when=timezone.now() - datetime.timedelta(days=400))
    assert leaderboard(organization=org, viewer=admin_a, period="week").rows[0].points == 10
    assert leaderboard(organization=org, viewer=admin_a, period="all").rows[0].points == 20


def test_spending_points_does_not_lower_the_rank(employee_a, admin_a):
    from .factories import RewardFactory

    give_points(employee_a, 100)
    reward_redeem(
        organization=employee_a.organization,
        membership=employee_a,
        reward=RewardFactory(organization=employee_a.organization, cost_points=60),
    )
    assert leaderboard(organization=employee_a.organization, viewer=admin_a).rows[0].points == 100


def test_executives_have_their_own_board(org_a, member_factory, employee_a):
    ceo = member_factory(org_a, Role.OWNER, is_executive=True)
    give_points(ceo, 500)
    give_points(employee_a, 10)
    everyone = leaderboard(organization=org_a, viewer=employee_a)
    assert [r.membership_id for r in everyone.rows] == [employee_a.pk]
    executives = leaderboard(organization=org_a, viewer=employee_a, board="executives")
    assert [r.membership_id for r in executives.rows] == [ceo.pk]
    settings_update(organization=org_a, executives_on_own_board=False)
    assert [r.membership_id for r in leaderboard(organization=org_a, viewer=employee_a).rows] == [
        ceo.pk,
        employee_a.pk,
    ]


def test_opted_out_people_are_not_on_public_boards_but_their_team_still_counts(
    org_a, member_factory, admin_a
):
    team = Team.objects.create(organization=org_a, name="Quiet")
    shy = member_factory(org_a, team=team)
    give_points(shy, 50)
    preference_update(
        organization=org_a, membership=shy, show_on_leaderboards=False, receive_newsletter=True
    )
    assert leaderboard(organization=org_a, viewer=admin_a).rows == []
    assert leaderboard(organization=org_a, viewer=admin_a, segment="team").rows[0].points == 50


def test_managers_see_their_tree_including_opt_outs(org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    report = member_factory(org_a, manager=manager)
    outsider = member_factory(org_a)
    for person in (report, outsider):
        give_points(person, 20)
    preference_update(
        organization=org_a, membership=report, show_on_leaderboards=False, receive_newsletter=True
    )
    tree = leaderboard(organization=org_a, viewer=manager, my_tree=True)
    assert [r.membership_id for r in tree.rows] == [report.pk]
