"""Points and badges from what advocates do elsewhere, learned through events."""

import datetime

import pytest
from django.utils import timezone

from advocacy import events
from recognition.models import Badge, BadgeAward, Cause, EntryStatus, GamingFlag, PointEntry
from recognition.selectors import balance_get, member_metrics
from recognition.services import (
    ShareClicks,
    badge_create,
    clicks_batch_award,
    course_points_award,
    flag_review,
    settings_ensure,
    share_deleted_record,
    share_points_award,
)

pytestmark = pytest.mark.django_db


def _badges(member):
    return set(BadgeAward.objects.filter(membership=member).values_list("badge__key", flat=True))


def _batch(organization_id, batch_id, membership_id, share_id, clicks_added):
    share = events.ShareClicks(
        share_id=share_id, membership_id=membership_id, clicks_added=clicks_added
    )
    return events.ClicksCounted(organization_id=organization_id, batch_id=batch_id, shares=(share,))


def _add_clicks(org, member, share_id, added, batch):
    clicks_batch_award(
        organization=org, batch_id=batch, shares=[ShareClicks(share_id, member.pk, added)]
    )


def test_clicks_earn_points_per_milestone_of_the_running_total_and_a_repeated_batch_counts_once(
    employee_a, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    with django_capture_on_commit_callbacks(execute=True):
        for batch, added in (("b1", 4), ("b2", 8), ("b2", 8), ("b3", 13)):  # b2 delivered twice
            events.publish(_batch(org.pk, batch, employee_a.pk, 9, added))
    entries = PointEntry.objects.filter(cause=Cause.CLICKS).order_by("id")
    assert [(e.quantity, e.points) for e in entries] == [(4, 0), (8, 5), (13, 5)]
    assert member_metrics(organization=org, membership=employee_a)["clicks"] == 25
    assert balance_get(organization=org, membership=employee_a) == 10


def test_one_batch_carries_every_share_of_the_organization(
    employee_a, member_factory, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    other = member_factory(org)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.ClicksCounted(
                organization_id=org.pk,
                batch_id="one",
                shares=(
                    events.ShareClicks(share_id=1, membership_id=employee_a.pk, clicks_added=10),
                    events.ShareClicks(share_id=2, membership_id=employee_a.pk, clicks_added=3),
                    events.ShareClicks(share_id=3, membership_id=other.pk, clicks_added=25),
                ),
            )
        )
    assert balance_get(organization=org, membership=employee_a) == 5
    assert balance_get(organization=org, membership=other) == 10


def test_course_and_pulse_events_award_once(employee_a, django_capture_on_commit_callbacks):
    org = employee_a.organization
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            events.publish(
                events.CourseCompleted(
                    organization_id=org.pk, membership_id=employee_a.pk, course_id=3
                )
            )
            events.publish(
                events.PulseAnswered(
                    organization_id=org.pk, membership_id=employee_a.pk, round_id=8
                )
            )
    assert balance_get(organization=org, membership=employee_a) == 20 + 5


def test_an_event_of_another_organizations_member_awards_nothing(
    employee_a, admin_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.CourseCompleted(
                organization_id=employee_a.organization_id, membership_id=admin_b.pk, course_id=3
            )
        )
    assert not PointEntry.objects.exists()


def test_share_badges_are_awarded_once_at_their_thresholds(employee_a):
    org = employee_a.organization
    share_points_award(organization=org, membership=employee_a, share_id=1, network="x")
    assert _badges(employee_a) == {"first-share"}
    for share_id in range(2, 11):
        share_points_award(organization=org, membership=employee_a, share_id=share_id, network="x")
    assert _badges(employee_a) == {"first-share", "shares-10"}
    assert BadgeAward.objects.filter(membership=employee_a).count() == 2


def test_hundred_clicks_and_four_week_streak_badges(employee_a):
    org = employee_a.organization
    now = timezone.now()
    for week in range(4):
        share_points_award(
            organization=org,
            membership=employee_a,
            share_id=100 + week,
            network="x",
            published_at=now - datetime.timedelta(weeks=week),
        )
    assert "streak-4" in _badges(employee_a)
    _add_clicks(org, employee_a, 100, 99, batch="a")
    assert "clicks-100" not in _badges(employee_a)
    _add_clicks(org, employee_a, 101, 1, batch="b")
    assert "clicks-100" in _badges(employee_a)


def test_a_gap_week_breaks_the_streak(employee_a):
    org = employee_a.organization
    now = timezone.now()
    for week in (0, 1, 3, 4):
        share_points_award(
            organization=org,
            membership=employee_a,
            share_id=week,
            network="x",
            published_at=now - datetime.timedelta(weeks=week),
        )
    assert member_metrics(organization=org, membership=employee_a)["streak_weeks"] == 2
    assert "streak-4" not in _badges(employee_a)


def test_all_courses_badge_comes_from_the_training_side(
    employee_a, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    settings_ensure(organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.TrainingCompleted(organization_id=org.pk, membership_id=employee_a.pk)
        )
        events.publish(
            events.TrainingCompleted(organization_id=org.pk, membership_id=employee_a.pk)
        )
    assert _badges(employee_a) == {"all-courses"}


def test_custom_badge_defined_by_an_admin(employee_a):
    org = employee_a.organization
    badge = badge_create(
        organization=org, name="Course lover", icon="book", metric=Badge.Metric.COURSES, threshold=2
    )

    course_points_award(organization=org, membership=employee_a, course_id=1)
    assert not BadgeAward.objects.filter(badge=badge).exists()
    course_points_award(organization=org, membership=employee_a, course_id=2)
    assert BadgeAward.objects.filter(badge=badge, membership=employee_a).count() == 1


def test_a_share_deleted_right_after_its_points_is_held_for_review(employee_a, admin_a):
    org = employee_a.organization
    share_points_award(organization=org, membership=employee_a, share_id=5, network="x")
    _add_clicks(org, employee_a, 5, 10, batch="a")
    flag = share_deleted_record(organization=org, membership=employee_a, share_id=5)
    assert flag.kind == GamingFlag.Kind.QUICK_DELETE
    assert (
        share_deleted_record(organization=org, membership=employee_a, share_id=5) is None
    )  # duplicate event
    assert balance_get(organization=org, membership=employee_a) == 0
    assert set(PointEntry.objects.values_list("status", flat=True)) == {EntryStatus.HELD}
    flag_review(organization=org, flag=flag, confirm=True, reviewer=admin_a)
    assert set(PointEntry.objects.values_list("status", flat=True)) == {EntryStatus.VOIDED}
    assert balance_get(organization=org, membership=employee_a) == 0


def test_a_share_deleted_after_the_window_keeps_its_points(employee_a):
    org = employee_a.organization
    share_points_award(
        organization=org,
        membership=employee_a,
        share_id=5,
        network="x",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert share_deleted_record(organization=org, membership=employee_a, share_id=5) is None
    assert balance_get(organization=org, membership=employee_a) == 10


def test_self_click_bursts_hold_the_shares_click_points_until_reviewed(
    employee_a, admin_a, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    _add_clicks(org, employee_a, 7, 20, batch="a")
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.SelfClicksDetected(
                organization_id=org.pk,
                share_id=7,
                membership_id=employee_a.pk,
                same_visitor_clicks=18,
            )
        )
    assert balance_get(organization=org, membership=employee_a) == 0
    _add_clicks(org, employee_a, 7, 10, batch="b")
    assert PointEntry.objects.filter(status=EntryStatus.HELD).count() == 2  # new clicks wait too
    flag = GamingFlag.objects.get(kind=GamingFlag.Kind.SELF_CLICKS)
    flag_review(organization=org, flag=flag, confirm=False, reviewer=admin_a)
    assert balance_get(organization=org, membership=employee_a) == 15
