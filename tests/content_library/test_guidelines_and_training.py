"""Guidelines must be acknowledged per version; courses complete once and raise an event."""

import pytest
from django.core.exceptions import ValidationError

from advocacy import events
from advocacy.tenancy.models import Role, Team
from content_library import services
from content_library.models import CourseCompletion, GuidelinesAcknowledgement
from content_library.selectors import (
    course_completion_by_team,
    course_list_for_member,
    guidelines_acknowledged,
    guidelines_acknowledgement_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(monkeypatch):
    seen = []
    monkeypatch.setattr(events, "_handlers", {**events._handlers})
    for kind in (events.CourseCompleted, events.TrainingCompleted):
        events._handlers[kind] = [seen.append]
    return seen


def test_a_new_version_asks_everyone_again(
    org_a, admin_a, employee_a, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.guidelines_acknowledge(organization=org_a, membership=employee_a)
    v1 = services.guidelines_publish(
        organization=org_a, actor=admin_a, title="Guidelines", body="<p>v1</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.guidelines_acknowledge(organization=org_a, membership=employee_a)
        services.guidelines_acknowledge(organization=org_a, membership=employee_a)  # a double click
    assert GuidelinesAcknowledgement.objects.count() == 1
    assert guidelines_acknowledged(organization=org_a, membership=employee_a) is True
    v2 = services.guidelines_publish(
        organization=org_a, actor=admin_a, title="Guidelines", body="<p>v2</p>", change_summary="AI"
    )
    assert v2.number == 2
    assert guidelines_acknowledged(organization=org_a, membership=employee_a) is False
    status = {
        row["membership"].pk: row["acknowledged_at"]
        for row in guidelines_acknowledgement_status(organization=org_a, version=v1)
    }
    assert status[employee_a.pk] is not None and status[admin_a.pk] is None


@pytest.fixture
def course(org_a):
    course = services.course_save(organization=org_a, title="Sharing 101", is_published=True)
    first = services.lesson_save(
        organization=org_a, course=course, title="Why share", body="<p>Because</p>"
    )
    second = services.lesson_save(
        organization=org_a, course=course, title="Disclose", body="<p>Say so</p>"
    )
    question = services.quiz_question_add(
        organization=org_a,
        lesson=second,
        prompt="Must you say you work here?",
        choices=["No", "Yes"],
        correct_index=1,
    )
    return course, first, second, question


def test_finishing_the_last_lesson_completes_the_course_once(
    org_a, employee_a, course, received, django_capture_on_commit_callbacks
):
    course, first, second, question = course
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_complete(organization=org_a, membership=employee_a, lesson=first)
        assert not CourseCompletion.objects.exists()
        with pytest.raises(ValidationError, match="0 of 1"):
            services.lesson_complete(
                organization=org_a, membership=employee_a, lesson=second, answers={question.pk: 0}
            )
        progress = services.lesson_complete(
            organization=org_a, membership=employee_a, lesson=second, answers={question.pk: 1}
        )
        services.lesson_complete(
            organization=org_a, membership=employee_a, lesson=second, answers={question.pk: 1}
        )
    assert progress.quiz_score == 100
    assert CourseCompletion.objects.filter(membership=employee_a, course=course).count() == 1
    assert received == [
        events.CourseCompleted(
            organization_id=org_a.pk, membership_id=employee_a.pk, course_id=course.pk
        ),
        events.TrainingCompleted(
            organization_id=org_a.pk, membership_id=employee_a.pk
        ),  # it was the only course
    ]
    [row] = course_list_for_member(organization=org_a, membership=employee_a)
    assert (row["done"], row["total"], row["percent"], row["completed"]) == (2, 2, 100, True)


def test_courses_reach_their_audience_and_admins_see_completion_by_team(
    org_a, member_factory, course
):
    course, first, second, question = course
    sales = Team.objects.create(organization=org_a, name="Sales")
    seller = member_factory(org_a, Role.EMPLOYEE, team=sales)
    other = member_factory(org_a, Role.EMPLOYEE)
    services.course_save(organization=org_a, course=course, audience={"teams": [sales]})
    assert [r["course"] for r in course_list_for_member(organization=org_a, membership=seller)] == [
        course
    ]
    assert course_list_for_member(organization=org_a, membership=other) == []
    services.lesson_complete(organization=org_a, membership=seller, lesson=first)
    services.lesson_complete(
        organization=org_a, membership=seller, lesson=second, answers={question.pk: 1}
    )
    rows = {
        row["team"]: (row["completed"], row["members"], row["percent"])
        for row in course_completion_by_team(organization=org_a, course=course)
    }
    assert rows == {"Sales": (1, 1, 100), None: (0, 1, 0)}
