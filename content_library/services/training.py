"""Training: courses, lessons, quizzes and completing them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.models import Membership, Organization

from ..models import (
    Course,
    CourseAudience,
    CourseCompletion,
    Lesson,
    LessonProgress,
    QuizQuestion,
)
from ..sanitize import clean_html
from ..selectors import course_list_for_member


def course_save(
    *,
    organization: Organization,
    course: Course | None = None,
    audience: dict[str, Iterable] | None = None,
    **fields: Any,
) -> Course:
    course = course or Course(organization=organization)
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean(exclude=["organization"])
    with transaction.atomic():
        course.save()
        if audience is not None:
            rules = [
                CourseAudience(organization=organization, course=course, team=t)
                for t in audience.get("teams", ())
            ]
            rules += [
                CourseAudience(organization=organization, course=course, location=x)
                for x in audience.get("locations", ())
                if x.strip()
            ]
            rules += [
                CourseAudience(organization=organization, course=course, role=r)
                for r in audience.get("roles", ())
            ]
            CourseAudience.objects.for_org(organization).filter(course=course).delete()
            CourseAudience.objects.bulk_create(rules)
            course.audience_everyone = not rules
            course.save(update_fields=["audience_everyone"])
    return course


def lesson_save(
    *,
    organization: Organization,
    course: Course,
    lesson: Lesson | None = None,
    **fields: Any,
) -> Lesson:
    lesson = lesson or Lesson(organization=organization, course=course)
    for name, value in fields.items():
        setattr(lesson, name, clean_html(value) if name == "body" else value)
    if lesson.pk is None and "position" not in fields:
        lesson.position = Lesson.objects.for_org(organization).filter(course=course).count()
    lesson.full_clean(exclude=["organization", "course"])
    lesson.save()
    return lesson


def quiz_question_add(
    *,
    organization: Organization,
    lesson: Lesson,
    prompt: str,
    choices: list[str],
    correct_index: int,
) -> QuizQuestion:
    choices = [c.strip() for c in choices if c.strip()]
    if len(choices) < 2 or not 0 <= correct_index < len(choices):
        raise ValidationError(_("A question needs at least two answers and one right answer."))
    return QuizQuestion.objects.create(
        organization=organization,
        lesson=lesson,
        prompt=prompt.strip(),
        choices=choices,
        correct_index=correct_index,
        position=QuizQuestion.objects.for_org(organization).filter(lesson=lesson).count(),
    )


PASS_MARK = 0.8


@transaction.atomic
def lesson_complete(
    *,
    organization: Organization,
    membership: Membership,
    lesson: Lesson,
    answers: dict[int, int] | None = None,
) -> LessonProgress:
    """Mark a lesson done; a lesson with a quiz needs 80% right. The last lesson of a
    course completes it and raises CourseCompleted once."""
    questions = list(QuizQuestion.objects.for_org(organization).filter(lesson=lesson))
    score = None
    if questions:
        answers = answers or {}
        right = sum(1 for q in questions if answers.get(q.pk) == q.correct_index)
        score = round(100 * right / len(questions))
        if right < PASS_MARK * len(questions):
            raise ValidationError(
                _(
                    "You answered %(right)s of %(total)s questions right. Have another look and try again."
                )
                % {"right": right, "total": len(questions)}
            )
    progress, created = LessonProgress.objects.for_org(organization).get_or_create(
        organization=organization,
        membership=membership,
        lesson=lesson,
        defaults={"quiz_score": score},
    )
    if not created and score is not None and (progress.quiz_score or 0) < score:
        progress.quiz_score = score
        progress.save(update_fields=["quiz_score"])
    course = lesson.course
    lesson_ids = set(
        Lesson.objects.for_org(organization).filter(course=course).values_list("id", flat=True)
    )
    done_ids = set(
        LessonProgress.objects.for_org(organization)
        .filter(membership=membership, lesson_id__in=lesson_ids)
        .values_list("lesson_id", flat=True)
    )
    if lesson_ids <= done_ids:
        _completion, completed_now = CourseCompletion.objects.for_org(organization).get_or_create(
            organization=organization, membership=membership, course=course
        )
        if completed_now:
            events.publish(
                events.CourseCompleted(
                    organization_id=organization.pk,
                    membership_id=membership.pk,
                    course_id=course.pk,
                )
            )
            if all(
                row["completed"]
                for row in course_list_for_member(organization=organization, membership=membership)
            ):
                events.publish(
                    events.TrainingCompleted(
                        organization_id=organization.pk, membership_id=membership.pk
                    )
                )
    return progress
