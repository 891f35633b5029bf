"""1:1s: a manager and a report share an agenda and notes; private notes stay private."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Role
from surveys import services
from surveys.models import ActionItem, AgendaItem, Meeting, OneOnOne, PrivateNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    report = member_factory(org_a, manager=manager)
    return manager, report


@pytest.fixture
def meeting(org_a, pair):
    manager, report = pair
    with org_context(org_a):
        series = services.one_on_one_create(
            organization=org_a,
            manager=manager,
            report=report,
            first_meeting_at=timezone.now() + datetime.timedelta(days=2),
        )
    return Meeting.objects.get(series=series)


def url(org, name, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_a_manager_schedules_a_recurring_one_on_one_in_the_page(web, org_a, pair):
    manager, report = pair
    response = web.as_member(manager).post(
        url(org_a, "one_on_ones"),
        {
            "report": report.pk,
            "cadence": "weekly",
            "first_meeting_at": "2026-12-01T10:00",
            "duration_minutes": "30",
        },
    )
    assert response.status_code == 302
    series = OneOnOne.objects.get(manager=manager, report=report)
    assert series.cadence == "weekly" and Meeting.objects.filter(series=series).count() == 1


def test_only_reports_can_be_scheduled(org_a, member_factory, pair):
    manager, _report = pair
    stranger = member_factory(org_a)
    with org_context(org_a), pytest.raises(ValidationError):
        services.one_on_one_create(
            organization=org_a, manager=manager, report=stranger, first_meeting_at=timezone.now()
        )
    assert not OneOnOne.objects.filter(report=stranger).exists()


def test_both_add_to_the_agenda_and_shared_notes(web, org_a, pair, meeting):
    manager, report = pair
    web.as_member(manager).post(url(org_a, "agenda_add", pk=meeting.pk), {"text": "Quarter goals"})
    web.as_member(report).post(
        url(org_a, "agenda_add", pk=meeting.pk), {"text": "Training budget"}, HTTP_HX_REQUEST="true"
    )
    web.as_member(report).post(
        url(org_a, "notes", pk=meeting.pk, which="shared"), {"text": "Agreed on a course"}
    )
    page = web.as_member(manager).get(url(org_a, "meeting", pk=meeting.pk)).content.decode()
    assert "Quarter goals" in page and "Training budget" in page and "Agreed on a course" in page
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


def test_private_notes_are_never_shown_to_the_other_person(web, api, org_a, pair, meeting, admin_a):
    manager, report = pair
    web.as_member(manager).post(
        url(org_a, "notes", pk=meeting.pk, which="private"), {"text": "Manager secret: promotion"}
    )
    web.as_member(report).post(
        url(org_a, "notes", pk=meeting.pk, which="private"), {"text": "Report secret: job offer"}
    )
    assert PrivateNote.objects.count() == 2
    report_page = web.as_member(report).get(url(org_a, "meeting", pk=meeting.pk)).content.decode()
    assert "Report secret: job offer" in report_page and "Manager secret" not in report_page
    manager_page = web.as_member(manager).get(url(org_a, "meeting", pk=meeting.pk)).content.decode()
    assert "Manager secret: promotion" in manager_page and "Report secret" not in manager_page
    # the API has no way to ask for someone else's note
    client = api.as_member(report)
    body = client.get(f"/api/v1/orgs/{org_a.slug}/surveys/meetings/{meeting.pk}/").content.decode()
    assert "secret" not in body
    assert client.get(
        f"/api/v1/orgs/{org_a.slug}/surveys/meetings/{meeting.pk}/private-note/"
    ).json() == {"text": "Report secret: job offer"}
    # nor can an HR admin open the meeting
    assert web.as_member(admin_a).get(url(org_a, "meeting", pk=meeting.pk)).status_code == 404
    assert (
        api.as_member(admin_a)
        .get(f"/api/v1/orgs/{org_a.slug}/surveys/meetings/{meeting.pk}/private-note/")
        .status_code
        == 404
    )


def test_action_items_have_an_owner_from_the_pair_and_a_due_date(
    web, org_a, pair, meeting, member_factory
):
    manager, report = pair
    response = web.as_member(manager).post(
        url(org_a, "action_add", pk=meeting.pk),
        {
            "text": "Send course options",
            "owner": report.pk,
            "due_on": "2026-12-10",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner == report and item.due_on == datetime.date(2026, 12, 10)
    web.as_member(report).post(url(org_a, "action_toggle", pk=item.pk))
    item.refresh_from_db()
    assert item.done_at is not None
    outsider = member_factory(org_a)
    refused = web.as_member(manager).post(
        url(org_a, "action_add", pk=meeting.pk), {"text": "x", "owner": outsider.pk}
    )
    assert refused.status_code == 400 and ActionItem.objects.count() == 1


def test_another_organizations_meeting_is_a_404_and_unchanged(
    api, org_a, admin_a, org_b, member_factory
):
    manager = member_factory(org_b, Role.MANAGER)
    report = member_factory(org_b, manager=manager)
    with org_context(org_b):
        series = services.one_on_one_create(
            organization=org_b, manager=manager, report=report, first_meeting_at=timezone.now()
        )
    theirs = Meeting.objects.get(series=series)
    client = api.as_member(admin_a)
    base = f"/api/v1/orgs/{org_a.slug}/surveys/meetings/{theirs.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "agenda/", {"text": "hi"}, format="json").status_code == 404
    assert client.put(base + "shared-notes/", {"text": "pwned"}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.shared_notes == "" and not AgendaItem.objects.exists()


def test_the_api_lists_only_my_one_on_ones(api, org_a, pair, meeting, member_factory):
    _manager, report = pair
    other_manager = member_factory(org_a, Role.MANAGER)
    assert (
        api.as_member(report).get(f"/api/v1/orgs/{org_a.slug}/surveys/one-on-ones/").json()["count"]
        == 1
    )
    assert (
        api.as_member(other_manager)
        .get(f"/api/v1/orgs/{org_a.slug}/surveys/one-on-ones/")
        .json()["count"]
        == 0
    )
