"""Issue 15, item 3, ids in URL paths: every API route that writes to one object named by
its id (the router's detail routes with POST, PUT, PATCH or DELETE) is tried by members of
the SAME organization on an object that is in the organization but not theirs: someone
else's share, connection, 1:1 meeting, redemption, suggestion; a round not sent to them; a
lesson of a course not assigned to them; and, where only curators, managers or admins may
write at all, a plain employee. Each gets the documented answer (403 for a role that may not
call the route, 404 for an object the caller may not see, exactly as for a missing row) and
nothing in the database changes: no row added or removed anywhere, the object itself as it was.

PATH_ATTACKS is keyed by route name, and the routes are read from the URL configuration:
a new write route fails here until its attack is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from advocacy.accounts.models import ApiToken
from advocacy.tenancy.models import Role, TenantModel
from analytics.models import PollFailure, PollSchedule
from campaigns.models import Campaign, Share
from content_library.models import (
    Course,
    CourseAudience,
    FeedSource,
    Lesson,
    QuizQuestion,
    Suggestion,
)
from recognition.models import Comment, GamingFlag, Reaction, Redemption, Reward, ShoutOut
from surveys.models import Meeting, OneOnOne
from tests.campaigns.factories import ConnectionFactory, ContentFactory, ShareFactory
from tests.content_library.factories import TopicFactory
from tests.factories import TeamFactory
from tests.surveys.factories import make_survey, open_round
from tests.tenancy.factories import make_invitation

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
# What an attacker sends as a body: a value for every field these routes take, so a
# route that wrongly accepted the request would change something.
BODY = {
    "name": "Pwned",
    "title": "Pwned",
    "text": "Pwned",
    "note": "Pwned",
    "message": "Pwned",
    "emoji": "clap",
    "cost_points": 1,
    "is_active": False,
    "role": "owner",
    "answers": {},
}


def write_routes() -> dict[str, dict[str, str]]:
    """route name → {HTTP method: viewset action} for the API's detail routes that write."""
    found: dict[str, dict[str, str]] = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern

    for route, pattern in walk(get_resolver().url_patterns):
        actions = getattr(pattern.callback, "actions", None)
        if (
            not route.startswith("api/")
            or not actions
            or "<pk>" not in route.replace("(?P<pk>", "<pk>")
        ):
            continue
        served = pattern.callback.cls.http_method_names
        writes = {m: a for m, a in actions.items() if m in WRITES and m in served}
        if writes:
            found.setdefault(pattern.name, {}).update(writes)
    return found


@dataclass
class Target:
    """The object attacked, and the answer each attacker gets (role → HTTP status).
    `allowed` is for a route any member may use on any object (reacting to a colleague's
    shout-out): the check says the write is the caller's own, not anyone else's."""

    obj: object
    expect: dict[str, int] = field(default_factory=lambda: {Role.EMPLOYEE: 403})
    body: dict | None = None
    allowed: object = None


def state(obj) -> dict:
    """Every tenant table's row count (API tokens aside: the attackers' own), and the
    object's own row."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, TenantModel) and model is not ApiToken
    }
    counts["the object"] = type(obj).objects.filter(pk=obj.pk).values().first()
    return counts


class Org:
    def __init__(self, org, member_factory):
        self.org, self.make = org, member_factory

    def member(self, role=Role.EMPLOYEE, **fields):
        return self.make(self.org, role, **fields)


# --- the objects, each in the organization but not the attacker's -------------------------


def poll_failure(o):
    share = ShareFactory(organization=o.org, membership=o.member())
    schedule = PollSchedule.objects.create(
        organization=o.org, share=share, network="linkedin", published_at=timezone.now()
    )
    failure = PollFailure.objects.create(
        organization=o.org,
        schedule=schedule,
        share=share,
        network="linkedin",
        error="gone",
        attempts=5,
    )
    return Target(failure, {Role.EMPLOYEE: 403, Role.CURATOR: 403, Role.MANAGER: 403})


def campaign(o, status=Campaign.Status.ACTIVE):
    item = ContentFactory(organization=o.org)
    found = Campaign.objects.create(organization=o.org, name="Spring", slug="spring", status=status)
    found.items.create(organization=o.org, content=item)
    return Target(found, {Role.EMPLOYEE: 403, Role.MANAGER: 403})


def draft_campaign(o):
    return campaign(o, Campaign.Status.DRAFT)


def invitation(o):
    sent, _raw = make_invitation(o.org)
    return Target(sent, {Role.EMPLOYEE: 403, Role.CURATOR: 403, Role.MANAGER: 403})


def content_item(o):
    return Target(
        ContentFactory(organization=o.org, status="in_review"),
        {Role.EMPLOYEE: 403, Role.MANAGER: 403},
    )


def feed_source(o):
    source = FeedSource.objects.create(
        organization=o.org, name="Blog", url="https://example.com/feed"
    )
    return Target(source, {Role.EMPLOYEE: 403, Role.MANAGER: 403})


def suggestion(o):
    """A colleague's suggestion, and the attacker may not accept their own either."""
    made = Suggestion.objects.create(
        organization=o.org, suggested_by=o.member(), url="https://example.com/mine"
    )
    return Target(made, {Role.EMPLOYEE: 403, Role.MANAGER: 403})


def topic(o):
    return Target(TopicFactory(organization=o.org), {Role.EMPLOYEE: 403, Role.MANAGER: 403})


def meeting(o):
    """A 1:1 between a manager and their report: nobody else may write to it, admins included."""
    manager = o.member(Role.MANAGER)
    report = o.member(Role.EMPLOYEE, manager=manager)
    series = OneOnOne.objects.create(
        organization=o.org, manager=manager, report=report, first_meeting_at=timezone.now()
    )
    held = Meeting.objects.create(organization=o.org, series=series, scheduled_at=timezone.now())
    body = {"text": "Pwned", "owner": report.pk}
    return Target(
        held, {Role.EMPLOYEE: 404, Role.MANAGER: 404, Role.ADMIN: 404, Role.OWNER: 404}, body
    )


def member(o):
    manager = o.member(Role.MANAGER)
    report = o.member(Role.EMPLOYEE, manager=manager)
    body = {"role": "admin", "job_title": "Pwned", "manager": None, "is_active": False}
    # an employee may not touch a colleague; a manager may read their report, not change them
    return Target(report, {Role.EMPLOYEE: 403, Role.CURATOR: 403, Role.MANAGER: 403}, body)


def gaming_flag(o):
    flag = GamingFlag.objects.create(
        organization=o.org, kind=GamingFlag.Kind.SELF_CLICKS, membership=o.member()
    )
    return Target(flag, {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403})


def redemption(o):
    reward = Reward.objects.create(organization=o.org, name="Mug", cost_points=10, value=5)
    asked = Redemption.objects.create(
        organization=o.org, reward=reward, membership=o.member(), points=10, value=5
    )
    return Target(asked, {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403})


def reward(o):
    offered = Reward.objects.create(organization=o.org, name="Mug", cost_points=10, value=5)
    return Target(offered, {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403})


def withdrawn_reward(o):
    """A reward that is not offered (any more): nobody but admins can even see it."""
    hidden = Reward.objects.create(
        organization=o.org, name="Old mug", cost_points=1, value=5, is_available=False
    )
    return Target(hidden, {Role.EMPLOYEE: 404, Role.MANAGER: 404})


def shoutout(o):
    """Two colleagues' shout-out: anyone may react and comment, as themselves only."""
    sent = ShoutOut.objects.create(
        organization=o.org, sender=o.member(), recipient=o.member(), message="Thanks!"
    )

    def only_mine(attacker, before, after):
        added = {k for k in after if after[k] != before[k] and k != "the object"}
        assert added <= {Reaction._meta.label, Comment._meta.label}, added
        reactions = Reaction.objects.filter(shoutout=sent)
        comments = Comment.objects.filter(shoutout=sent)
        assert set(reactions.values_list("membership_id", flat=True)) <= {attacker.pk}
        assert set(comments.values_list("author_id", flat=True)) <= {attacker.pk}

    return Target(sent, {Role.EMPLOYEE: (200, 201)}, allowed=only_mine)


def share(o, status=Share.Status.SCHEDULED):
    """A colleague's share: 404 to everyone else, HR admins included (they read it, no more)."""
    theirs = ShareFactory(
        organization=o.org,
        membership=o.member(),
        status=status,
        scheduled_at=timezone.now() + datetime.timedelta(days=1),
    )
    return Target(theirs, {Role.EMPLOYEE: 404, Role.MANAGER: 404, Role.ADMIN: 404})


def failed_share(o):
    return share(o, Share.Status.FAILED)


def connection(o):
    theirs = ConnectionFactory(membership=o.member())
    return Target(theirs, {Role.EMPLOYEE: 404, Role.MANAGER: 404, Role.ADMIN: 404})


def survey(o):
    return Target(make_survey(o.org), {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403})


def survey_question(o):
    return Target(
        make_survey(o.org).questions.first(),
        {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403},
    )


def round_(o):
    return Target(
        open_round(make_survey(o.org)), {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403}
    )


def round_not_sent_to_them(o):
    """A round of a survey sent to another team: the employee may not answer it."""
    team = TeamFactory(organization=o.org)
    o.member(team=team)
    sent = open_round(make_survey(o.org, audience_teams=[team]))
    answers = [{"question": q.pk, "value": 4} for q in sent.survey.questions.all()]
    return Target(sent, {Role.EMPLOYEE: 404, Role.CURATOR: 404}, {"answers": answers})


def team(o):
    return Target(
        TeamFactory(organization=o.org),
        {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403},
    )


def course(o):
    made = Course.objects.create(organization=o.org, title="Basics", is_published=True)
    return Target(made, {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403})


def lesson(o):
    made = Course.objects.create(organization=o.org, title="Basics", is_published=True)
    return Target(
        Lesson.objects.create(organization=o.org, course=made, title="One"),
        {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403},
    )


def lesson_not_assigned(o):
    """A lesson of a course assigned to another team: completing it earns nothing."""
    other = TeamFactory(organization=o.org)
    made = Course.objects.create(
        organization=o.org, title="Leaders", is_published=True, audience_everyone=False
    )
    CourseAudience.objects.create(organization=o.org, course=made, team=other)
    return Target(
        Lesson.objects.create(organization=o.org, course=made, title="One"),
        {Role.EMPLOYEE: 404, Role.MANAGER: 404, Role.CURATOR: 404},
    )


def quiz_question(o):
    made = Course.objects.create(organization=o.org, title="Basics", is_published=True)
    one = Lesson.objects.create(organization=o.org, course=made, title="One")
    asked = QuizQuestion.objects.create(
        organization=o.org, lesson=one, prompt="Q?", choices=["a", "b"], correct_index=0
    )
    return Target(asked, {Role.EMPLOYEE: 403, Role.MANAGER: 403, Role.CURATOR: 403})


PATH_ATTACKS = {
    "analytics-poll-failure-retry": poll_failure,
    "campaign-detail": campaign,
    "campaign-end": campaign,
    "campaign-launch": draft_campaign,
    "invitation-detail": invitation,
    "invitation-resend": invitation,
    "library-item-approve": content_item,
    "library-item-archive": content_item,
    "library-item-detail": content_item,
    "library-item-fetch-preview": content_item,
    "library-item-reject": content_item,
    "library-item-restore": content_item,
    "library-item-submit": content_item,
    "library-source-detail": feed_source,
    "library-source-poll": feed_source,
    "library-suggestion-accept": suggestion,
    "library-suggestion-decline": suggestion,
    "library-topic-detail": topic,
    "meeting-action-items": meeting,
    "meeting-agenda": meeting,
    "meeting-private-note": meeting,
    "meeting-shared-notes": meeting,
    "member-detail": member,
    "recognition-flag-confirm": gaming_flag,
    "recognition-flag-dismiss": gaming_flag,
    "recognition-redemption-approve": redemption,
    "recognition-redemption-fulfil": redemption,
    "recognition-redemption-reject": redemption,
    "recognition-reward-detail": reward,
    "recognition-reward-redeem": withdrawn_reward,
    "recognition-shoutout-comment": shoutout,
    "recognition-shoutout-react": shoutout,
    "share-cancel": share,
    "share-retry": failed_share,
    "social-connection-disconnect": connection,
    "survey-detail": survey,
    "survey-open-round": survey,
    "survey-question-detail": survey_question,
    "survey-round-close": round_,
    "survey-round-respond": round_not_sent_to_them,
    "team-detail": team,
    "training-course-detail": course,
    "training-lesson-complete": lesson_not_assigned,
    "training-lesson-detail": lesson,
    "training-question-detail": quiz_question,
}


def test_every_write_route_with_an_id_in_its_path_has_an_attack():
    routes = write_routes()
    assert len(routes) >= 40  # the enumeration still sees the router
    assert set(PATH_ATTACKS) == set(routes)


@pytest.mark.parametrize("name", sorted(PATH_ATTACKS))
def test_an_object_in_the_organization_but_not_the_callers_cannot_be_written_by_its_id(
    name, api, org_a, member_factory
):
    o = Org(org_a, member_factory)
    target = PATH_ATTACKS[name](o)
    url = reverse(name, kwargs={"org_slug": org_a.slug, "pk": target.obj.pk})
    for method in sorted(write_routes()[name]):
        for role, status in target.expect.items():
            attacker = o.member(role)
            client = api.as_member(attacker)
            before = state(target.obj)
            response = getattr(client, method)(url, target.body or BODY, format="json")
            wanted = status if isinstance(status, tuple) else (status,)
            assert response.status_code in wanted, (
                method,
                role,
                response.status_code,
                response.content[:300],
            )
            if target.allowed:
                target.allowed(attacker, before, state(target.obj))
            else:
                assert state(target.obj) == before, (method, role)
