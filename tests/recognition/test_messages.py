"""Leaders' thank-you notes, the monthly newsletter, awards, and the intranet feed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.access import NotInOrganization
from advocacy.tenancy.models import Role
from recognition.models import (
    AwardProgram,
    Cause,
    Newsletter,
    NewsletterDelivery,
    PointEntry,
    ShoutOut,
    ThankYouNote,
)
from recognition.periods import add_months, local_today, month_start
from recognition.services import (
    award_program_create,
    award_round_close,
    award_round_open,
    nomination_create,
    preference_update,
    settings_ensure,
    shoutout_send,
    thank_you_send,
    vote_cast,
)
from recognition.tasks import monthly_newsletters, send_newsletter

from .factories import give_points

pytestmark = pytest.mark.django_db


def test_a_leader_sends_personal_thank_you_notes_by_email_and_in_app(
    web, org_a, member_factory, django_capture_on_commit_callbacks
):
    manager = member_factory(org_a, Role.MANAGER)
    advocate = member_factory(org_a)
    advocate.user.preferred_language = "id"
    advocate.user.save()
    give_points(advocate, 42)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.as_member(manager).post(
            reverse("recognition:leaders", kwargs={"org_slug": org_a.slug}),
            {
                "action": "note",
                "recipients": [advocate.pk],
                "subject": "Thanks {first_name}!",
                "body": "You earned {points} points. {unknown} stays.",
            },
        )
    assert response.status_code == 302
    note = ThankYouNote.objects.get()
    assert note.subject == f"Thanks {advocate.user.get_short_name()}!"
    assert note.body == "You earned 42 points. {unknown} stays."
    assert note.emailed_at is not None
    [email] = mail.outbox
    assert email.to == [advocate.user.email]
    html = email.alternatives[0][0]
    assert (
        "You earned 42 points" in html and "Lihat poin" in html
    )  # the footer speaks the advocate's language
    web.as_member(advocate).get(reverse("recognition:me", kwargs={"org_slug": org_a.slug}))
    note.refresh_from_db()
    assert note.read_at is not None


def test_thank_you_notes_are_refused_for_employees_and_foreign_people(
    org_a, employee_a, admin_a, admin_b
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        thank_you_send(
            organization=org_a, sender=employee_a, recipients=[admin_a], subject="s", body="b"
        )
    with pytest.raises(NotInOrganization):
        thank_you_send(
            organization=org_a, sender=admin_a, recipients=[admin_b], subject="s", body="b"
        )
    assert not ThankYouNote.objects.exists()


@pytest.fixture
def last_month(org_a):
    return add_months(month_start(local_today(org_a)), -1)


def test_monthly_newsletter_goes_once_to_each_person_in_their_language(
    org_a, member_factory, last_month, django_capture_on_commit_callbacks
):
    english = member_factory(org_a)
    indonesian = member_factory(org_a)
    indonesian.user.preferred_language = "id"
    indonesian.user.save()
    quiet = member_factory(org_a)
    preference_update(
        organization=org_a, membership=quiet, show_on_leaderboards=True, receive_newsletter=False
    )
    moment = timezone.now().replace(day=1) - datetime.timedelta(days=3)
    give_points(english, 80, cause=Cause.SHARE, created_at=moment)
    with django_capture_on_commit_callbacks(execute=True):
        monthly_newsletters.apply()
        monthly_newsletters.apply()  # beat may fire twice; nobody gets two
    assert Newsletter.objects.get().month == last_month
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [english.user.email, indonesian.user.email]
    )
    by_person = {message.to[0]: message for message in mail.outbox}
    assert str(english.user) in by_person[english.user.email].body
    assert (
        "Advokasi" in by_person[indonesian.user.email].subject
        or "advokasi" in by_person[indonesian.user.email].subject
    )
    assert NewsletterDelivery.objects.count() == 2


def test_admin_previews_and_sends_the_newsletter(
    web, org_a, admin_a, employee_a, last_month, django_capture_on_commit_callbacks
):
    client = web.as_member(admin_a)
    url = reverse("recognition:newsletter", kwargs={"org_slug": org_a.slug})
    preview = client.get(url, {"month": last_month.strftime("%Y-%m"), "intro": "Hello team"})
    assert "Hello team" in preview.context["preview"]["html"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"month": last_month.strftime("%Y-%m"), "intro": "Hello team"})
    assert len(mail.outbox) == 2
    assert Newsletter.objects.get().sent_at is not None
    send_newsletter.apply(kwargs={"organization_id": org_a.pk, "month": last_month.isoformat()})
    assert len(mail.outbox) == 2


def test_award_round_nominations_votes_and_winner(org_a, admin_a, member_factory):
    program = award_program_create(
        organization=org_a,
        name="Advocate of the Month",
        cadence=AwardProgram.Cadence.MONTHLY,
        points=200,
        voting_enabled=True,
    )
    award_round = award_round_open(organization=org_a, program=program)
    assert award_round_open(organization=org_a, program=program) == award_round
    star, voter = member_factory(org_a), member_factory(org_a)
    nomination_create(
        organization=org_a,
        award_round=award_round,
        nominee=star,
        nominated_by=voter,
        reason="Shared every launch",
    )
    vote_cast(organization=org_a, award_round=award_round, voter=voter, nominee=star)
    award_round_close(organization=org_a, award_round=award_round, winner=star, actor=admin_a)
    assert PointEntry.objects.get(cause=Cause.AWARD).points == 200
    assert ShoutOut.objects.get(kind=ShoutOut.Kind.AWARD).recipient == star
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        award_round_close(organization=org_a, award_round=award_round, winner=star, actor=admin_a)
    assert PointEntry.objects.filter(cause=Cause.AWARD).count() == 1


def test_public_feed_by_secret_token_leaves_out_opted_out_people(
    client, org_a, org_b, member_factory
):
    settings = settings_ensure(organization=org_a)
    one, two, shy = member_factory(org_a), member_factory(org_a), member_factory(org_a)
    shoutout_send(organization=org_a, sender=one, recipient=two, message="Visible thanks")
    shoutout_send(organization=org_a, sender=one, recipient=shy, message="Hidden thanks")
    preference_update(
        organization=org_a, membership=shy, show_on_leaderboards=False, receive_newsletter=True
    )
    base = f"/recognition/embed/{settings.feed_token}/"
    widget = client.get(base)
    assert widget.status_code == 200
    assert (
        "Visible thanks" in widget.content.decode()
        and "Hidden thanks" not in widget.content.decode()
    )
    assert "X-Frame-Options" not in widget
    assert "Visible thanks" in client.get(base + "feed.rss").content.decode()
    assert [item["message"] for item in client.get(base + "feed.json").json()["items"]] == [
        "Visible thanks"
    ]
    assert client.get("/recognition/embed/not-a-real-token-at-all-xx/feed.json").status_code == 404
    other = settings_ensure(organization=org_b)
    assert client.get(f"/recognition/embed/{other.feed_token}/feed.json").json()["items"] == []
