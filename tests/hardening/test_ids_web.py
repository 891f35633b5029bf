"""Issue 15, item 3, through the web client: the HTML forms that take the same ids as the
API (the composer and by-hand sharing, shout-outs and public thanks, repost consent, the
1:1 pages, share and connection actions) refuse, for a member of the SAME organization, an
id that is in the organization but not theirs, show why, and write nothing."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.models import Role
from campaigns.models import Repost, Share
from content_library.models import ContentAudience, ContentItem
from recognition.models import PointEntry, RepostRequest, ShoutOut
from social.models import Connection
from surveys.models import ActionItem, AgendaItem, Meeting, OneOnOne, PrivateNote
from tests.campaigns.factories import ConnectionFactory, ContentFactory, ShareFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def url(org, name, **kwargs):
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def counts(*models):
    return {model: model.objects.count() for model in models}


def not_shareable(org):
    """Items of the organization an ordinary employee may not share, and why."""
    outside = ContentFactory(organization=org, audience_everyone=False)
    ContentAudience.objects.create(
        organization=org, content=outside, team=TeamFactory(organization=org)
    )
    return {
        "not in their audience": outside,
        "a draft": ContentFactory(organization=org, status=ContentItem.Status.DRAFT),
        "archived": ContentFactory(organization=org, status=ContentItem.Status.ARCHIVED),
        "expired": ContentFactory(
            organization=org, expires_at=timezone.now() - datetime.timedelta(days=1)
        ),
    }


# --- sharing ------------------------------------------------------------------------------


def test_the_composer_refuses_content_the_employee_may_not_share(web, org_a, employee_a):
    mine = ConnectionFactory(membership=employee_a, network="linkedin")
    client = web.as_member(employee_a)
    for why, item in not_shareable(org_a).items():
        response = client.post(
            url(org_a, "campaigns:compose", content_id=item.pk),
            {"text": "Look", "connections": [mine.pk], "when": "now", "batch": uuid.uuid4()},
        )
        assert response.status_code == 404, why
    assert not Share.objects.exists()


def test_the_composer_refuses_a_colleagues_connection(web, org_a, employee_a, member_factory):
    theirs = ConnectionFactory(membership=member_factory(org_a), network="linkedin")
    ConnectionFactory(membership=employee_a, network="x")
    item = ContentFactory(organization=org_a)
    response = web.as_member(employee_a).post(
        url(org_a, "campaigns:compose", content_id=item.pk),
        {"text": "Look", "connections": [theirs.pk], "when": "now", "batch": uuid.uuid4()},
    )
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert "connections" in form.errors  # shown next to the accounts to choose from
    assert not Share.objects.exists()


def test_sharing_by_hand_refuses_content_the_employee_may_not_share(web, org_a, employee_a):
    client = web.as_member(employee_a)
    for why, item in not_shareable(org_a).items():
        response = client.post(
            url(org_a, "campaigns:share_by_hand", content_id=item.pk, channel="linkedin"),
            {"text": "Look"},
        )
        assert response.status_code == 400, why
        assert "no longer available to share" in response.content.decode()
    assert not Share.objects.exists()


@pytest.mark.parametrize(
    "action, status",
    [("share_retry", Share.Status.FAILED), ("share_cancel", Share.Status.SCHEDULED)],
)
def test_a_colleagues_share_cannot_be_retried_or_cancelled(
    web, org_a, member_factory, action, status
):
    theirs = ShareFactory(organization=org_a, membership=member_factory(org_a), status=status)
    for role in (Role.EMPLOYEE, Role.ADMIN):
        response = web.as_member(member_factory(org_a, role)).post(
            url(org_a, f"campaigns:{action}", pk=theirs.pk)
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == status


def test_a_colleagues_connection_cannot_be_disconnected(web, org_a, member_factory):
    theirs = ConnectionFactory(membership=member_factory(org_a))
    for role in (Role.EMPLOYEE, Role.ADMIN):
        response = web.as_member(member_factory(org_a, role)).post(
            url(org_a, "social:disconnect", pk=theirs.pk)
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Connection.Status.ACTIVE


# --- recognition --------------------------------------------------------------------------


def test_a_shout_out_to_oneself_or_to_someone_who_left_is_refused(
    web, org_a, employee_a, member_factory
):
    gone = member_factory(org_a, is_active=False)
    client = web.as_member(employee_a)
    for recipient in (employee_a, gone):
        response = client.post(
            url(org_a, "recognition:feed"), {"recipient": recipient.pk, "message": "Thanks"}
        )
        assert response.status_code == 400
        assert "recipient" in response.context["form"].errors
    assert not ShoutOut.objects.exists() and not PointEntry.objects.exists()


def test_public_thanks_are_for_leaders_only(web, org_a, employee_a, member_factory):
    colleague = member_factory(org_a)
    response = web.as_member(employee_a).post(
        url(org_a, "recognition:leaders"),
        {"action": "thanks", "recipient": colleague.pk, "message": "Thanks"},
    )
    assert response.status_code == 403
    assert not ShoutOut.objects.exists()


def test_repost_consent_is_only_the_share_owners_to_give(
    web, org_a, admin_a, employee_a, member_factory
):
    """The request asks employee A; a colleague answering it by its id changes nothing."""
    share = ShareFactory(organization=org_a, membership=employee_a)
    client = web.as_member(admin_a)
    client.post(
        url(org_a, "recognition:leaders"),
        {
            "action": "thanks",
            "recipient": employee_a.pk,
            "message": "Great post",
            "share_id": share.pk,
            "request_repost": "on",
        },
    )
    request = RepostRequest.objects.get(share_id=share.pk)
    for intruder in (member_factory(org_a), admin_a):
        response = web.as_member(intruder).post(
            url(org_a, "recognition:repost_answer", pk=request.pk), {"consent": "yes"}, follow=True
        )
        assert "Only the advocate who shared" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RepostRequest.Status.WAITING
    assert not Repost.objects.exists()


# --- 1:1s -----------------------------------------------------------------------------------


@pytest.fixture
def one_on_one(org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    report = member_factory(org_a, manager=manager)
    series = OneOnOne.objects.create(
        organization=org_a, manager=manager, report=report, first_meeting_at=timezone.now()
    )
    meeting = Meeting.objects.create(organization=org_a, series=series, scheduled_at=timezone.now())
    agenda = AgendaItem.objects.create(
        organization=org_a, meeting=meeting, author=report, text="Growth"
    )
    action = ActionItem.objects.create(
        organization=org_a, series=series, meeting=meeting, owner=report, text="Read the book"
    )
    return meeting, agenda, action


def test_someone_outside_a_1_1_can_neither_read_nor_write_it(
    web, org_a, member_factory, one_on_one
):
    meeting, agenda, action = one_on_one
    tables = (AgendaItem, ActionItem, PrivateNote)
    before = counts(*tables)
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.ADMIN):
        intruder = member_factory(org_a, role)
        client = web.as_member(intruder)
        assert client.get(url(org_a, "surveys:meeting", pk=meeting.pk)).status_code == 404
        for name, kwargs, body in [
            ("surveys:agenda_add", {"pk": meeting.pk}, {"text": "Pwned"}),
            ("surveys:notes", {"pk": meeting.pk, "which": "shared"}, {"text": "Pwned"}),
            ("surveys:notes", {"pk": meeting.pk, "which": "private"}, {"text": "Pwned"}),
            ("surveys:action_add", {"pk": meeting.pk}, {"text": "Pwned", "owner": intruder.pk}),
            ("surveys:agenda_toggle", {"pk": agenda.pk}, {}),
            ("surveys:action_toggle", {"pk": action.pk}, {}),
        ]:
            response = client.post(url(org_a, name, **kwargs), body)
            assert response.status_code == 404, (role, name, response.status_code)
    assert counts(*tables) == before
    meeting.refresh_from_db(), agenda.refresh_from_db(), action.refresh_from_db()
    assert meeting.shared_notes == "" and not agenda.is_discussed and action.done_at is None


def test_an_action_item_cannot_be_given_to_someone_outside_the_1_1(
    web, org_a, member_factory, one_on_one
):
    meeting, _agenda, _action = one_on_one
    outsider = member_factory(org_a)
    for participant in (meeting.series.report, meeting.series.manager):
        response = web.as_member(participant).post(
            url(org_a, "surveys:action_add", pk=meeting.pk), {"text": "Do", "owner": outsider.pk}
        )
        assert response.status_code == 400
        assert "owner" in response.context["action_form"].errors
    assert ActionItem.objects.count() == 1


def test_a_1_1_can_only_be_set_up_with_ones_own_report(web, org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    member_factory(org_a, manager=manager)  # their one report
    someone_elses = member_factory(org_a, manager=member_factory(org_a, Role.MANAGER))
    colleague = member_factory(org_a)
    later = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    for who, report in ((manager, someone_elses), (manager, manager), (colleague, manager)):
        response = web.as_member(who).post(
            url(org_a, "surveys:one_on_ones"),
            {
                "report": report.pk,
                "cadence": "biweekly",
                "first_meeting_at": later,
                "duration_minutes": 30,
            },
        )
        assert response.status_code in (400, 403, 404), response.status_code
    assert not OneOnOne.objects.exists() and not Meeting.objects.exists()


def test_an_admin_cannot_adjust_their_own_points(web, org_a, admin_a):
    response = web.as_member(admin_a).post(
        url(org_a, "recognition:adjust"),
        {"membership": admin_a.pk, "points": 500, "reason": "Mine"},
    )
    assert response.status_code == 400
    assert "membership" in response.context["form"].errors
    assert not PointEntry.objects.exists()
