"""`AccountErased` into every app that holds words or traces of a person: the privacy
app's real `account_delete` publishes it, and each real consumer clears its own part.

- campaigns: posts that never went out (a scheduled one, a failed one) are cancelled
  and emptied; a published one stays; a campaign they created no longer names them;
- recognition: off public leaderboards and the newsletter; their comments and
  reactions are gone;
- surveys: their private 1:1 notes and agenda topics are gone, the series stop;
- social: the history of their connections (handle, error texts) is gone.

A colleague's rows are untouched, and a second delivery changes nothing."""

import datetime

import pytest
from django.utils import timezone

from advocacy.privacy.services import account_delete
from advocacy.tenancy.models import Role
from campaigns.models import Campaign, Share
from content_library.models import ContentItem
from recognition.models import Comment, Reaction, RecognitionPreference, ShoutOut
from social.models import ConnectionEvent
from surveys.models import AgendaItem, Meeting, OneOnOne, PrivateNote
from tests.isolation.actors import (  # noqa: F401  (autouse: arrange as the system, hash fast)
    fast_password_hashing,
    test_body_acts_as_system,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving(org_a, member_factory):
    person = member_factory(org_a, Role.EMPLOYEE)
    colleague = member_factory(org_a, Role.MANAGER)
    org = org_a
    item = ContentItem.objects.create(organization=org, kind="text", title="Launch")

    def share(member, status, text):
        return Share.objects.create(
            organization=org,
            membership=member,
            content=item,
            channel="linkedin",
            text=text,
            status=status,
            scheduled_at=timezone.now() + datetime.timedelta(days=1)
            if status == Share.Status.SCHEDULED
            else None,
        )

    rows = {
        "scheduled": share(person, Share.Status.SCHEDULED, "my secret plan for tomorrow"),
        "failed": share(person, Share.Status.FAILED, "my words that did not go out"),
        "published": share(person, Share.Status.PUBLISHED, "out in the world"),
        "theirs": share(colleague, Share.Status.SCHEDULED, "colleague's plan"),
        "campaign": Campaign.objects.create(
            organization=org, name="Spring", slug="spring", created_by=person.user
        ),
    }
    shout = ShoutOut.objects.create(
        organization=org, sender=colleague, recipient=person, message="Thanks!"
    )
    Comment.objects.create(organization=org, shoutout=shout, author=person, text="so kind")
    Comment.objects.create(organization=org, shoutout=shout, author=colleague, text="welcome")
    Reaction.objects.create(organization=org, shoutout=shout, membership=person, emoji="clap")
    Reaction.objects.create(organization=org, shoutout=shout, membership=colleague, emoji="star")
    series = OneOnOne.objects.create(
        organization=org, manager=colleague, report=person, first_meeting_at=timezone.now()
    )
    meeting = Meeting.objects.create(
        organization=org, series=series, scheduled_at=timezone.now(), shared_notes="agreed"
    )
    PrivateNote.objects.create(organization=org, meeting=meeting, author=person, text="burnt out")
    PrivateNote.objects.create(organization=org, meeting=meeting, author=colleague, text="mine")
    AgendaItem.objects.create(organization=org, meeting=meeting, author=person, text="my raise")
    AgendaItem.objects.create(organization=org, meeting=meeting, author=colleague, text="goals")
    for member, message in ((person, "@leaving.person token refused"), (colleague, "@stays")):
        ConnectionEvent.objects.create(
            organization=org, membership=member, network="x", kind="error", message=message
        )
    return {"person": person, "colleague": colleague, "shout": shout, "series": series, **rows}


def _state(leaving) -> dict:
    person, colleague = leaving["person"], leaving["colleague"]
    shares = {
        key: Share.objects.values_list("status", "text").get(pk=leaving[key].pk)
        for key in ("scheduled", "failed", "published", "theirs")
    }
    preference = RecognitionPreference.objects.filter(membership=person).first()
    return {
        "shares": shares,
        "campaign_by": Campaign.objects.get(pk=leaving["campaign"].pk).created_by_id,
        "preference": preference
        and (preference.show_on_leaderboards, preference.receive_newsletter),
        "comments": sorted(Comment.objects.values_list("author_id", "text")),
        "reactions": sorted(Reaction.objects.values_list("membership_id", "emoji")),
        "shout": ShoutOut.objects.filter(pk=leaving["shout"].pk).exists(),
        "notes": sorted(PrivateNote.objects.values_list("author_id", "text")),
        "agenda": sorted(AgendaItem.objects.values_list("author_id", "text")),
        "shared_notes": list(Meeting.objects.values_list("shared_notes", flat=True)),
        "series_active": OneOnOne.objects.get(pk=leaving["series"].pk).is_active,
        "events": sorted(ConnectionEvent.objects.values_list("membership_id", "message")),
        "colleague": colleague.pk,
    }


def test_every_app_clears_its_part_of_an_erased_account(
    leaving, django_capture_on_commit_callbacks
):
    person, colleague = leaving["person"], leaving["colleague"]
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        account_delete(user=person.user, confirm_email=person.user.email)
    after = _state(leaving)

    assert after["shares"] == {
        "scheduled": (Share.Status.CANCELLED, ""),
        "failed": (Share.Status.FAILED, ""),
        "published": (Share.Status.PUBLISHED, "out in the world"),
        "theirs": (Share.Status.SCHEDULED, "colleague's plan"),
    }
    assert after["campaign_by"] is None and Campaign.objects.filter(slug="spring").exists()
    assert after["preference"] == (False, False)
    assert after["comments"] == [(colleague.pk, "welcome")]
    assert after["reactions"] == [(colleague.pk, "star")]
    assert after["shout"]  # the organization's recognition history stays
    assert after["notes"] == [(colleague.pk, "mine")]
    assert after["agenda"] == [(colleague.pk, "goals")]
    assert after["shared_notes"] == ["agreed"]
    assert after["series_active"] is False
    assert after["events"] == [(colleague.pk, "@stays")]

    for callback in dispatched:  # the event delivered twice: nothing more changes
        callback()
    assert _state(leaving) == after
