"""Every id a client can send in a body names an object of the caller's organization AND
one the caller may use (issue 15). The first test enumerates the writable id fields of
every API serializer, so a new one fails here until someone reviews who may use it and
adds it to REVIEWED with the rule that holds. The others try, as an attacker in the same
organization, the ids that are in the organization but not theirs to use; every REVIEWED
entry has its attack in test_ids_attacks.py (ATTACKS, keyed like REVIEWED), ids in URL
paths are tried in test_path_ids.py and the web forms in test_ids_web.py."""

import datetime
import importlib
import inspect

import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework import relations, serializers

from advocacy.tenancy.api import OrgRelatedField
from advocacy.tenancy.models import Role
from surveys.models import ActionItem, Meeting, OneOnOne

API_MODULES = [
    "advocacy.tenancy.serializers",
    "advocacy.tenancy.api_views",
    "advocacy.privacy.api",
    "social.api",
    "content_library.api",
    "campaigns.api",
    "analytics.api",
    "recognition.api",
    "surveys.api",
    "campaigns.digests.api",
]
ID_NAMES = {"items", "membership", "recipient", "share", "team", "parent", "survey"}
ID_NAMES |= {"question", "content", "campaign", "connection", "manager", "report", "owner"}

# serializer.field → who may use the object it names (beyond "in the organization", which
# OrgRelatedField or the service's own lookup enforces), and where that is enforced.
REVIEWED = {
    "advocacy.tenancy.serializers.InvitationSerializer.team": "admins only: any team",
    "advocacy.tenancy.serializers.MembershipSerializer.team": "admins only: any team",
    "advocacy.tenancy.serializers.MembershipSerializer.manager": "admins only: any member but one reporting to them",
    "advocacy.tenancy.serializers.TeamSerializer.parent": "admins only: any team but itself or one below it (team_update)",
    "content_library.api.AudienceSerializer.teams[]": "curators: any team",
    "content_library.api.BulkSerializer.items[]": "curators: content_bulk_action looks ids up in the org",
    "content_library.api.ContentItemSerializer.topics[]": "curators: any topic",
    "content_library.api.ContentItemSerializer.audience.teams[]": "curators: any team",
    "content_library.api.CourseSerializer.audience.teams[]": "curators: any team",
    "content_library.api.FeedSourceSerializer.topic": "curators: any topic",
    "content_library.api.LessonSerializer.course": "curators: any course",
    "content_library.api.LessonSerializer.questions[].lesson": "curators: any lesson",
    "content_library.api.QuizQuestionSerializer.lesson": "curators: any lesson",
    "campaigns.api.ByHandSerializer.content": "share_record_by_hand: only content shareable by the caller",
    "campaigns.api.CampaignSerializer.items[]": "curators: any item",
    "campaigns.api.CampaignSerializer.audience_teams[]": "curators: any team",
    "campaigns.api.ComposeSerializer.content": "share_compose: only content shareable by the caller",
    "campaigns.api.ComposeSerializer.connections[]": "share_compose: only the caller's own connections",
    "recognition.api.AdjustmentSerializer.membership": "admins only: any member",
    "recognition.api.ShoutOutSerializer.recipient": "everyone: any colleague but oneself",
    "recognition.api.ShoutOutSerializer.value": "everyone: any company value",
    "recognition.api.ThanksSerializer.recipient": "leaders: any colleague",
    "recognition.api.ThanksSerializer.share_id": "a repost request names a share; repost only with its owner's consent",
    "surveys.api.ActionItemInSerializer.owner": "action_item_add: one of the two people of the 1:1",
    "surveys.api.AnswerInSerializer.question": "response_submit: only the round's own questions",
    "surveys.api.OneOnOneSerializer.report": "one_on_one_create: only the manager's own reports",
    "surveys.api.RespondSerializer.answers[].question": "response_submit: only the round's own questions",
    "surveys.api.RoundSerializer.survey": "read-only viewset: never written",
    "surveys.api.QuestionSerializer.survey": "admins only: their organization's surveys",
    "recognition.api.PointEntrySerializer.reference_id": "the ledger is read through the API, never written",
    "surveys.api.SurveySerializer.audience[]": "admins only: any team",
    "surveys.api.SurveySerializer.questions[].survey": "admins only: their organization's surveys",
}


def _walk(prefix, field):
    if isinstance(field, serializers.ListSerializer):
        yield from _walk(prefix + "[]", field.child)
    elif isinstance(field, serializers.BaseSerializer):
        for name, child in field.fields.items():
            yield from _walk(f"{prefix}.{name}", child)
    elif isinstance(field, relations.ManyRelatedField):
        yield from _walk(prefix + "[]", field.child_relation)
    elif isinstance(field, serializers.ListField):
        yield from _walk(prefix + "[]", field.child)
    else:
        yield prefix, field


def _id_fields():
    found = {}
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, serializers.BaseSerializer) or cls.__module__ != module_name:
                continue
            for path, field in _walk(f"{module_name}.{name}", cls()):
                if field.read_only:
                    continue
                last = path.rsplit(".", 1)[-1].rstrip("[]")
                takes_id = isinstance(field, relations.RelatedField) or (
                    isinstance(field, serializers.IntegerField)
                    and (last.endswith(("_id", "_ids")) or last in ID_NAMES)
                )
                if takes_id:
                    found[path] = field
    return found


def test_every_id_field_of_the_api_has_been_reviewed_for_who_may_use_it():
    found = _id_fields()
    unreviewed = sorted(set(found) - set(REVIEWED))
    assert not unreviewed, (
        f"New id fields {unreviewed}: check that the object must be in the organization AND "
        "usable by the caller, test it, and add it to REVIEWED."
    )
    assert len(found) >= 25  # the enumeration still sees the serializers


def test_the_enumeration_reads_every_module_the_api_routes_to():
    """A new app's API module is enumerated too, not only the ones listed when this was written."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern

    routed = {
        pattern.callback.cls.__module__
        for route, pattern in walk(get_resolver().url_patterns)
        if route.startswith("api/v1/orgs/") and hasattr(pattern.callback, "cls")
    }
    assert routed <= set(API_MODULES), sorted(routed - set(API_MODULES))


def test_every_related_field_is_scoped_to_the_callers_organization():
    for path, field in _id_fields().items():
        if isinstance(field, relations.RelatedField) and not path.endswith(
            "RoundSerializer.survey"
        ):
            assert isinstance(field, OrgRelatedField), path


def _url(org, path):
    return f"/api/v1/orgs/{org.slug}/surveys/{path}"


@pytest.mark.django_db
def test_a_manager_cannot_open_a_1_1_with_someone_who_is_not_their_report(
    api, org_a, member_factory
):
    manager = member_factory(org_a, Role.MANAGER)
    stranger = member_factory(org_a, Role.EMPLOYEE)  # same organization, reports to someone else
    response = api.as_member(manager).post(
        _url(org_a, "one-on-ones/"),
        {
            "report": stranger.pk,
            "first_meeting_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "report" in response.json()["errors"]
    assert not OneOnOne.objects.exists()


@pytest.mark.django_db
def test_an_action_item_cannot_be_given_to_someone_outside_the_1_1(api, org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    report = member_factory(org_a, Role.EMPLOYEE, manager=manager)
    outsider = member_factory(org_a, Role.EMPLOYEE)
    series = OneOnOne.objects.create(
        organization=org_a, manager=manager, report=report, first_meeting_at=timezone.now()
    )
    meeting = Meeting.objects.create(organization=org_a, series=series, scheduled_at=timezone.now())
    response = api.as_member(manager).post(
        _url(org_a, f"meetings/{meeting.pk}/action-items/"),
        {"owner": outsider.pk, "text": "Fix it"},
    )
    assert response.status_code == 400, response.content[:300]
    assert "owner" in response.json()["errors"]
    assert not ActionItem.objects.exists()
