"""Content library's training and the surveys' pulse, into recognition: the real
services publish, recognition's real handlers and tasks award. A repeat changes nothing."""

import pytest

from advocacy import events
from content_library import services as library
from recognition.models import Badge, BadgeAward, Cause, PointEntry
from recognition.selectors import balance_get
from recognition.services import settings_update
from tests.surveys.factories import answer, close, make_survey, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(org_a):
    course = library.course_save(organization=org_a, title="Sharing 101", is_published=True)
    lesson = library.lesson_save(
        organization=org_a, course=course, title="Disclose", body="<p>Say you work here</p>"
    )
    return course, lesson


def test_finishing_a_course_earns_its_points_and_the_all_courses_badge_once(
    org_a, employee_a, course, django_capture_on_commit_callbacks
):
    course, lesson = course
    settings_update(organization=org_a, points_per_course=20)
    badge = Badge.objects.get(organization=org_a, metric=Badge.Metric.ALL_COURSES)  # built in
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        library.lesson_complete(organization=org_a, membership=employee_a, lesson=lesson)
    entry = PointEntry.objects.get(cause=Cause.COURSE, membership=employee_a)
    assert (entry.points, entry.reference_id) == (20, course.pk)
    assert BadgeAward.objects.filter(badge=badge, membership=employee_a).count() == 1

    for callback in dispatched:  # the broker delivers the same events again
        callback()
    assert PointEntry.objects.filter(cause=Cause.COURSE).count() == 1
    assert BadgeAward.objects.filter(badge=badge).count() == 1
    assert balance_get(organization=org_a, membership=employee_a) == 20


def test_answering_a_pulse_earns_its_points_once(
    org_a, employee_a, django_capture_on_commit_callbacks
):
    settings_update(organization=org_a, points_per_pulse=5)
    round = open_round(make_survey(org_a))
    answer(round, employee_a)
    # Points for taking part go out at the round's close, so they date no answer.
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        close(round)
    entry = PointEntry.objects.get(cause=Cause.PULSE, membership=employee_a)
    assert (entry.points, entry.reference_id) == (5, round.pk)
    for callback in dispatched:
        callback()
    assert PointEntry.objects.filter(cause=Cause.PULSE).count() == 1


def test_recognition_learns_only_that_someone_answered_never_what(
    org_a, employee_a, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    monkeypatch.setitem(events._handlers, events.PulseAnswered, [seen.append])
    round = open_round(make_survey(org_a))
    answer(round, employee_a, comment="My manager never listens")
    with django_capture_on_commit_callbacks(execute=True):
        close(round)
    assert seen == [
        events.PulseAnswered(
            organization_id=org_a.pk, membership_id=employee_a.pk, round_id=round.pk
        )
    ]
