"""Issue 15, item 3: for every id field a client can send in a body (REVIEWED, in
test_ids_right_person), the attack a member of the SAME organization would try: an id that
is in the organization but not theirs to use, sent by the least-privileged role that can
call the endpoint at all (or, where only admins/curators may call it, by the roles below).
Each attack asserts the answer the API documents (403 for a role that may not call the
endpoint, 400 with a field message for an id the caller may not use, 405 where nothing is
ever written) AND that nothing was written.

ATTACKS is keyed like REVIEWED: a new id field fails here until its attack is written."""

from __future__ import annotations

import datetime
from contextlib import contextmanager

import pytest
from django.utils import timezone

from advocacy.tenancy.models import Invitation, Membership, Role, Team
from campaigns.models import Campaign, Repost, Share
from content_library.models import (
    ContentAudience,
    ContentItem,
    Course,
    FeedSource,
    Lesson,
    QuizQuestion,
)
from recognition.models import CompanyValue, PointEntry, RepostRequest, ShoutOut
from recognition.services import repost_answer
from social.models import Publication
from surveys.models import (
    ActionItem,
    Meeting,
    OneOnOne,
    Question,
    Response,
    Round,
    Survey,
    SurveyAudienceTeam,
)
from tests.campaigns.factories import ConnectionFactory, ContentFactory, ShareFactory
from tests.content_library.factories import TopicFactory
from tests.factories import TeamFactory
from tests.surveys.factories import make_survey, open_round

from .test_ids_right_person import REVIEWED

pytestmark = pytest.mark.django_db

BELOW_ADMINS = (Role.CURATOR, Role.MANAGER, Role.EMPLOYEE)
BELOW_CURATORS = (Role.MANAGER, Role.EMPLOYEE)


class Attack:
    """What one attack needs: the organization, its people, an API client per person."""

    def __init__(self, api, org, member_factory, capture):
        self.api, self.org, self.make, self.capture = api, org, member_factory, capture

    def member(self, role=Role.EMPLOYEE, **fields) -> Membership:
        return self.make(self.org, role, **fields)

    def as_(self, membership):
        return self.api.as_member(membership)

    def url(self, path: str) -> str:
        return f"/api/v1/orgs/{self.org.slug}/{path}"

    def post(self, who, path, body):
        return self.as_(who).post(self.url(path), body, format="json")

    def patch(self, who, path, body):
        return self.as_(who).patch(self.url(path), body, format="json")


def refused(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.content[:500]
    if field is not None:
        body = response.json()
        assert field in body.get("errors", body), body


@contextmanager
def nothing_written(*models):
    """Row counts of `models` are the same after the block (nothing created or deleted)."""
    before = {model: model.objects.count() for model in models}
    yield
    after = {model: model.objects.count() for model in models}
    assert after == before


def roles_refused(attack, roles, send, status=403):
    """Every role in `roles` gets `status` from `send(member)`."""
    for role in roles:
        refused(send(attack.member(role)), status)


def _later():
    return (timezone.now() + datetime.timedelta(days=1)).isoformat()


# --- the core: teams, people, invitations (admins only) --------------------------------


def invitation_team(a):
    team = TeamFactory(organization=a.org)
    with nothing_written(Invitation):
        roles_refused(
            a,
            BELOW_ADMINS,
            lambda m: a.post(m, "invitations/", {"email": "x@example.com", "team": team.pk}),
        )


def membership_team(a):
    manager = a.member(Role.MANAGER)
    report = a.member(Role.EMPLOYEE, manager=manager)
    other_team = TeamFactory(organization=a.org)
    # a manager may read their report, not move them (nor themselves) to another team
    refused(a.patch(manager, f"members/{report.pk}/", {"team": other_team.pk}), 403)
    refused(a.patch(manager, f"members/{manager.pk}/", {"team": other_team.pk}), 403)
    report.refresh_from_db(), manager.refresh_from_db()
    assert report.team_id is None and manager.team_id is None


def membership_manager(a):
    manager = a.member(Role.MANAGER)
    colleague = a.member(Role.EMPLOYEE)
    refused(a.patch(manager, f"members/{colleague.pk}/", {"manager": manager.pk}), 403)
    # even an admin cannot make someone their own manager, nor close a loop
    admin = a.member(Role.ADMIN)
    refused(a.patch(admin, f"members/{colleague.pk}/", {"manager": colleague.pk}), 400, "manager")
    report = a.member(Role.EMPLOYEE, manager=colleague)
    refused(a.patch(admin, f"members/{colleague.pk}/", {"manager": report.pk}), 400, "manager")
    colleague.refresh_from_db()
    assert colleague.manager_id is None


def team_parent(a):
    parent = TeamFactory(organization=a.org)
    with nothing_written(Team):
        roles_refused(
            a, BELOW_ADMINS, lambda m: a.post(m, "teams/", {"name": "Mine", "parent": parent.pk})
        )
    # an admin cannot put a team under itself or under a team below it (a loop in the tree)
    admin = a.member(Role.ADMIN)
    child = TeamFactory(organization=a.org, parent=parent)
    refused(a.patch(admin, f"teams/{parent.pk}/", {"parent": parent.pk}), 400, "parent")
    refused(a.patch(admin, f"teams/{parent.pk}/", {"parent": child.pk}), 400, "parent")
    parent.refresh_from_db()
    assert parent.parent_id is None


# --- the content library (curators) -----------------------------------------------------


def _item_body(**extra):
    return {"title": "Ours", "url": "https://example.com/ours", **extra}


def content_audience_teams(a):
    team = TeamFactory(organization=a.org)
    with nothing_written(ContentItem, ContentAudience):
        roles_refused(
            a,
            BELOW_CURATORS,
            lambda m: a.post(m, "library/items/", _item_body(audience={"teams": [team.pk]})),
        )
    item = ContentFactory(organization=a.org)
    with nothing_written(ContentAudience):
        roles_refused(
            a,
            BELOW_CURATORS,
            lambda m: a.patch(m, f"library/items/{item.pk}/", {"audience": {"teams": [team.pk]}}),
        )


def content_bulk_items(a):
    draft = ContentFactory(organization=a.org, status=ContentItem.Status.IN_REVIEW)
    roles_refused(
        a,
        BELOW_CURATORS,
        lambda m: a.post(m, "library/items/bulk/", {"action": "approve", "items": [draft.pk]}),
    )
    draft.refresh_from_db()
    assert draft.status == ContentItem.Status.IN_REVIEW


def content_topics(a):
    topic = TopicFactory(organization=a.org)
    with nothing_written(ContentItem):
        roles_refused(
            a, BELOW_CURATORS, lambda m: a.post(m, "library/items/", _item_body(topics=[topic.pk]))
        )


def course_audience_teams(a):
    team = TeamFactory(organization=a.org)
    with nothing_written(Course):
        roles_refused(
            a,
            BELOW_ADMINS,
            lambda m: a.post(
                m, "training/courses/", {"title": "Mine", "audience": {"teams": [team.pk]}}
            ),
        )


def feed_source_topic(a):
    topic = TopicFactory(organization=a.org)
    with nothing_written(FeedSource):
        roles_refused(
            a,
            BELOW_CURATORS,
            lambda m: a.post(
                m,
                "library/sources/",
                {"name": "Blog", "url": "https://example.com/feed", "topic": topic.pk},
            ),
        )


def _course_and_lesson(a, **course):
    course = Course.objects.create(organization=a.org, title="Basics", **course)
    lesson = Lesson.objects.create(organization=a.org, course=course, title="One")
    return course, lesson


def lesson_course(a):
    course, _lesson = _course_and_lesson(a, is_published=True)
    with nothing_written(Lesson):
        roles_refused(
            a, BELOW_ADMINS, lambda m: a.post(m, "training/lessons/", {"course": course.pk})
        )


def lesson_questions_lesson(a):
    """`questions` of a lesson is read-only: naming another lesson in it moves nothing."""
    _course, lesson = _course_and_lesson(a)
    _other_course, other = _course_and_lesson(a)
    question = QuizQuestion.objects.create(
        organization=a.org, lesson=other, prompt="Q?", choices=["a", "b"], correct_index=0
    )
    admin = a.member(Role.ADMIN)
    body = {"questions": [{"id": question.pk, "lesson": lesson.pk, "prompt": "Q?"}]}
    with nothing_written(QuizQuestion):
        response = a.patch(admin, f"training/lessons/{lesson.pk}/", body)
        assert response.status_code == 200, response.content[:300]
    question.refresh_from_db()
    assert question.lesson_id == other.pk and not lesson.questions.exists()
    with nothing_written(QuizQuestion):
        refused(a.patch(a.member(Role.EMPLOYEE), f"training/lessons/{lesson.pk}/", body), 403)


def quiz_question_lesson(a):
    _course, lesson = _course_and_lesson(a)
    body = {"lesson": lesson.pk, "prompt": "Q?", "choices": ["a", "b"], "correct_index": 0}
    with nothing_written(QuizQuestion):
        roles_refused(a, BELOW_ADMINS, lambda m: a.post(m, "training/questions/", body))


# --- campaigns and sharing ---------------------------------------------------------------


def _not_shareable_by(a, employee):
    """Items in the organization that `employee` may not share, and why."""
    other_team = TeamFactory(organization=a.org)
    outside = ContentFactory(organization=a.org, audience_everyone=False)
    ContentAudience.objects.create(organization=a.org, content=outside, team=other_team)
    return {
        "not in their audience": outside,
        "a draft": ContentFactory(organization=a.org, status=ContentItem.Status.DRAFT),
        "in review": ContentFactory(organization=a.org, status=ContentItem.Status.IN_REVIEW),
        "archived": ContentFactory(organization=a.org, status=ContentItem.Status.ARCHIVED),
        "expired": ContentFactory(
            organization=a.org, expires_at=timezone.now() - datetime.timedelta(days=1)
        ),
        "not yet published": ContentFactory(
            organization=a.org, publish_at=timezone.now() + datetime.timedelta(days=3)
        ),
    }


def by_hand_content(a):
    employee = a.member(Role.EMPLOYEE)
    for why, item in _not_shareable_by(a, employee).items():
        with nothing_written(Share):
            response = a.post(
                employee,
                "campaigns/shares/by-hand/",
                {"content": item.pk, "channel": "linkedin", "text": "Look"},
            )
            refused(response, 400, "content")
        assert why


def campaign_items(a):
    item = ContentFactory(organization=a.org)
    with nothing_written(Campaign):
        roles_refused(
            a,
            BELOW_CURATORS,
            lambda m: a.post(m, "campaigns/campaigns/", {"name": "Mine", "items": [item.pk]}),
        )


def campaign_audience_teams(a):
    team = TeamFactory(organization=a.org)
    with nothing_written(Campaign):
        roles_refused(
            a,
            BELOW_CURATORS,
            lambda m: a.post(
                m, "campaigns/campaigns/", {"name": "Mine", "audience_teams": [team.pk]}
            ),
        )


def compose_content(a):
    employee = a.member(Role.EMPLOYEE)
    own = ConnectionFactory(membership=employee, network="linkedin")
    for item in _not_shareable_by(a, employee).values():
        with nothing_written(Share):
            response = a.post(
                employee,
                "campaigns/shares/",
                {"content": item.pk, "text": "Look", "connections": [own.pk]},
            )
            refused(response, 400, "content")


def compose_connections(a):
    employee = a.member(Role.EMPLOYEE)
    colleague = a.member(Role.EMPLOYEE)
    theirs = ConnectionFactory(membership=colleague, network="linkedin")
    mine = ConnectionFactory(membership=employee, network="x")
    item = ContentFactory(organization=a.org)
    for connections in ([theirs.pk], [mine.pk, theirs.pk]):
        with nothing_written(Share):
            response = a.post(
                employee,
                "campaigns/shares/",
                {"content": item.pk, "text": "Look", "connections": connections},
            )
            refused(response, 400, "connections")


# --- recognition -------------------------------------------------------------------------


def adjustment_membership(a):
    manager = a.member(Role.MANAGER)
    report = a.member(Role.EMPLOYEE, manager=manager)
    body = {"membership": report.pk, "points": 100, "reason": "Well done"}
    with nothing_written(PointEntry):
        refused(a.post(manager, "recognition/ledger/adjust/", body), 403)
        # nor to oneself
        for role in BELOW_ADMINS:
            me = a.member(role)
            body = {"membership": me.pk, "points": 1000, "reason": "Mine"}
            refused(a.post(me, "recognition/ledger/adjust/", body), 403)
        # an admin may correct anyone's points but their own (points are earned)
        for role in (Role.ADMIN, Role.OWNER):
            me = a.member(role)
            body = {"membership": me.pk, "points": 1000, "reason": "Mine"}
            refused(a.post(me, "recognition/ledger/adjust/", body), 400, "membership")


def shoutout_recipient(a):
    employee = a.member(Role.EMPLOYEE)
    gone = a.member(Role.EMPLOYEE, is_active=False)
    with nothing_written(ShoutOut, PointEntry):
        for recipient in (employee, gone):
            response = a.post(
                employee,
                "recognition/shoutouts/",
                {"recipient": recipient.pk, "message": "Thanks me"},
            )
            refused(response, 400, "recipient")


def shoutout_value(a):
    employee = a.member(Role.EMPLOYEE)
    colleague = a.member(Role.EMPLOYEE)
    retired = CompanyValue.objects.create(organization=a.org, name="Old", is_active=False)
    with nothing_written(ShoutOut, PointEntry):
        response = a.post(
            employee,
            "recognition/shoutouts/",
            {"recipient": colleague.pk, "message": "Thanks", "value": retired.pk},
        )
        refused(response, 400, "value")


def thanks_recipient(a):
    employee = a.member(Role.EMPLOYEE)
    colleague = a.member(Role.EMPLOYEE)
    leader = a.member(Role.MANAGER)
    with nothing_written(ShoutOut, RepostRequest):
        # public thanks is for leaders; an employee's attempt is refused
        response = a.post(
            employee, "recognition/shoutouts/thank/", {"recipient": colleague.pk, "message": "Hi"}
        )
        refused(response, 400)
        assert "Only admins, managers and executives" in str(response.json())
        # and a leader cannot thank themselves
        response = a.post(
            leader, "recognition/shoutouts/thank/", {"recipient": leader.pk, "message": "Me"}
        )
        refused(response, 400, "recipient")


def thanks_share_id(a):
    """A leader asks A to consent to reposting B's share: A's consent reposts nothing."""
    leader = a.member(Role.MANAGER)
    advocate = a.member(Role.EMPLOYEE)
    owner = a.member(Role.EMPLOYEE)
    share = ShareFactory(organization=a.org, membership=owner)
    response = a.post(
        leader,
        "recognition/shoutouts/thank/",
        {
            "recipient": advocate.pk,
            "message": "Great post",
            "share_id": share.pk,
            "request_repost": True,
        },
    )
    assert response.status_code == 201, response.content[:300]
    request = RepostRequest.objects.get(share_id=share.pk)
    assert request.membership_id == advocate.pk  # only the advocate can answer it
    with nothing_written(Publication):
        with a.capture(execute=True):
            repost_answer(organization=a.org, request=request, membership=advocate, consent=True)
    repost = Repost.objects.get(repost_request_id=request.pk)
    assert repost.status == Repost.Status.FAILED and repost.publication_id is None
    request.refresh_from_db()
    assert request.outcome == RepostRequest.Outcome.FAILED


# --- surveys and 1:1s -------------------------------------------------------------------


def _series(a, manager, report):
    series = OneOnOne.objects.create(
        organization=a.org, manager=manager, report=report, first_meeting_at=timezone.now()
    )
    meeting = Meeting.objects.create(organization=a.org, series=series, scheduled_at=timezone.now())
    return series, meeting


def action_item_owner(a):
    manager = a.member(Role.MANAGER)
    report = a.member(Role.EMPLOYEE, manager=manager)
    outsider = a.member(Role.EMPLOYEE)
    _unused, meeting = _series(a, manager, report)
    with nothing_written(ActionItem):
        for who in (report, manager):  # the report is the least-privileged caller
            response = a.post(
                who,
                f"surveys/meetings/{meeting.pk}/action-items/",
                {"owner": outsider.pk, "text": "Do"},
            )
            refused(response, 400, "owner")
        # an outsider cannot add one to a 1:1 they are not in, even naming themselves
        response = a.post(
            outsider,
            f"surveys/meetings/{meeting.pk}/action-items/",
            {"owner": outsider.pk, "text": "Do"},
        )
        refused(response, 404)


def _two_surveys_one_open_round(a):
    mine = make_survey(a.org, title="Mine")
    other = make_survey(a.org, title="Another")
    round = open_round(mine)
    open_round(other)
    return round, other.questions.first()


def answer_question(a):
    employee = a.member(Role.EMPLOYEE)
    round, foreign_question = _two_surveys_one_open_round(a)
    body = {"answers": [{"question": foreign_question.pk, "value": 3}]}
    with nothing_written(Response):
        response = a.post(employee, f"surveys/rounds/{round.pk}/respond/", body)
        refused(response, 400)
        assert "not in this survey" in str(response.json())


def respond_answers_question(a):
    """Every answer of the round's own questions, plus one of another survey's round."""
    employee = a.member(Role.EMPLOYEE)
    round, foreign_question = _two_surveys_one_open_round(a)
    answers = [{"question": q.pk, "value": 4} for q in round.survey.questions.all()]
    answers.append({"question": foreign_question.pk, "value": 4})
    with nothing_written(Response):
        response = a.post(employee, f"surveys/rounds/{round.pk}/respond/", {"answers": answers})
        refused(response, 400)


def one_on_one_report(a):
    employee = a.member(Role.EMPLOYEE)
    colleague = a.member(Role.EMPLOYEE)
    manager = a.member(Role.MANAGER)
    someone_elses = a.member(Role.EMPLOYEE, manager=a.member(Role.MANAGER))
    with nothing_written(OneOnOne, Meeting):
        for who, report in (
            (employee, colleague),  # an employee has no reports
            (employee, manager),  # nor may they make their manager report to them
            (manager, someone_elses),  # another manager's report
            (manager, manager),  # oneself
        ):
            response = a.post(
                who, "surveys/one-on-ones/", {"report": report.pk, "first_meeting_at": _later()}
            )
            refused(response, 400, "report")


def round_survey(a):
    survey = make_survey(a.org)
    with nothing_written(Round):
        for role in (Role.EMPLOYEE, Role.ADMIN):
            refused(a.post(a.member(role), "surveys/rounds/", {"survey": survey.pk}), 405)


def question_survey(a):
    survey = make_survey(a.org)
    body = {"survey": survey.pk, "kind": "agree5", "text_en": "Do you like it?"}
    with nothing_written(Question):
        roles_refused(a, BELOW_ADMINS, lambda m: a.post(m, "surveys/questions/", body))


def ledger_reference_id(a):
    with nothing_written(PointEntry):
        for role in (Role.EMPLOYEE, Role.ADMIN):
            who = a.member(role)
            body = {"membership": who.pk, "points": 500, "reference_id": 1, "cause": "share"}
            refused(a.post(who, "recognition/ledger/", body), 405)


def survey_audience(a):
    survey = make_survey(a.org)
    team = TeamFactory(organization=a.org)
    with nothing_written(SurveyAudienceTeam, Survey):
        roles_refused(
            a,
            BELOW_ADMINS,
            lambda m: a.patch(m, f"surveys/surveys/{survey.pk}/", {"audience": [team.pk]}),
        )
        roles_refused(
            a,
            BELOW_ADMINS,
            lambda m: a.post(m, "surveys/surveys/", {"title": "Mine", "audience": [team.pk]}),
        )


def survey_questions_survey(a):
    """`questions` of a survey is read-only: naming another survey in it moves nothing."""
    survey = make_survey(a.org, title="Mine")
    other = make_survey(a.org, title="Theirs")
    question = other.questions.first()
    body = {"questions": [{"id": question.pk, "survey": survey.pk, "text_en": "Moved?"}]}
    admin = a.member(Role.ADMIN)
    with nothing_written(Question):
        response = a.patch(admin, f"surveys/surveys/{survey.pk}/", body)
        assert response.status_code == 200, response.content[:300]
    question.refresh_from_db()
    assert question.survey_id == other.pk and question.text_en != "Moved?"
    with nothing_written(Question):
        roles_refused(a, BELOW_ADMINS, lambda m: a.patch(m, f"surveys/surveys/{survey.pk}/", body))


P = "advocacy.tenancy.serializers."
C = "content_library.api."
G = "campaigns.api."
R = "recognition.api."
S = "surveys.api."
ATTACKS = {
    P + "InvitationSerializer.team": invitation_team,
    P + "MembershipSerializer.team": membership_team,
    P + "MembershipSerializer.manager": membership_manager,
    P + "TeamSerializer.parent": team_parent,
    C + "AudienceSerializer.teams[]": content_audience_teams,
    C + "BulkSerializer.items[]": content_bulk_items,
    C + "ContentItemSerializer.topics[]": content_topics,
    C + "ContentItemSerializer.audience.teams[]": content_audience_teams,
    C + "CourseSerializer.audience.teams[]": course_audience_teams,
    C + "FeedSourceSerializer.topic": feed_source_topic,
    C + "LessonSerializer.course": lesson_course,
    C + "LessonSerializer.questions[].lesson": lesson_questions_lesson,
    C + "QuizQuestionSerializer.lesson": quiz_question_lesson,
    G + "ByHandSerializer.content": by_hand_content,
    G + "CampaignSerializer.items[]": campaign_items,
    G + "CampaignSerializer.audience_teams[]": campaign_audience_teams,
    G + "ComposeSerializer.content": compose_content,
    G + "ComposeSerializer.connections[]": compose_connections,
    R + "AdjustmentSerializer.membership": adjustment_membership,
    R + "ShoutOutSerializer.recipient": shoutout_recipient,
    R + "ShoutOutSerializer.value": shoutout_value,
    R + "ThanksSerializer.recipient": thanks_recipient,
    R + "ThanksSerializer.share_id": thanks_share_id,
    S + "ActionItemInSerializer.owner": action_item_owner,
    S + "AnswerInSerializer.question": answer_question,
    S + "OneOnOneSerializer.report": one_on_one_report,
    S + "RespondSerializer.answers[].question": respond_answers_question,
    S + "RoundSerializer.survey": round_survey,
    S + "QuestionSerializer.survey": question_survey,
    R + "PointEntrySerializer.reference_id": ledger_reference_id,
    S + "SurveySerializer.audience[]": survey_audience,
    S + "SurveySerializer.questions[].survey": survey_questions_survey,
}


def test_every_reviewed_id_field_has_an_attack():
    assert set(ATTACKS) == set(REVIEWED)


@pytest.mark.parametrize("field", sorted(ATTACKS))
def test_an_id_in_the_organization_but_not_the_callers_is_refused_and_nothing_is_written(
    field, api, org_a, member_factory, django_capture_on_commit_callbacks
):
    attack = Attack(api, org_a, member_factory, django_capture_on_commit_callbacks)
    ATTACKS[field](attack)
