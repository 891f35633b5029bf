"""Content digests (issue 19.2), as an employee and an HR admin meet them: a digest of
new approved content from the employee's own feed, at the frequency they chose (the
organization's default otherwise), in their language, with one-tap share links and an
unsubscribe link that works by RFC 8058 one-click POST; never empty, never twice a period."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advocacy.audit.models import AuditEntry
from campaigns.digests import selectors, services
from campaigns.digests.models import Digest, DigestPreference
from content_library.models import ContentItem

from .factories import ContentFactory, ShareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def any_time(settings):
    """Due at any hour of any day, unless a test sets its own send time."""
    settings.DIGEST_SEND_HOUR = 0
    settings.DIGEST_WEEKDAY = 0


def _speaks(member, language):
    member.user.preferred_language = language
    member.user.save(update_fields=["preferred_language"])


def test_an_employee_gets_the_new_posts_of_their_feed_in_their_language(
    org_a, org_b, employee_a, member_factory
):
    _speaks(employee_a, "id")
    services.digest_preference_set(organization=org_a, membership=employee_a, frequency="daily")
    fresh = ContentFactory(organization=org_a, title="Pabrik baru kami di Surabaya dibuka")
    ContentFactory(organization=org_a, title="Draft", status=ContentItem.Status.DRAFT)
    ContentFactory(
        organization=org_a,
        title="Expired",
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    ContentFactory(organization=org_b, title="Another company's news")
    mail.outbox.clear()

    assert services.digest_send_due(organization=org_a) >= 1
    [email] = [m for m in mail.outbox if m.to == [employee_a.user.email]]
    assert email.subject == f"1 postingan baru untuk dibagikan dari {org_a.name}"
    assert "Inilah yang baru untuk Anda bagikan" in email.body
    assert fresh.title in email.body
    for absent in ("Draft", "Expired", "Another company's news"):
        assert absent not in email.body
    html = email.alternatives[0][0]
    assert "Bagikan di LinkedIn" in html and "/digest/share/" in html
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/digest/unsubscribe/" in unsubscribe
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in email.body

    digest = Digest.objects.get(membership=employee_a)
    assert digest.status == "sent" and digest.frequency == "daily"
    assert digest.items == [{"id": fresh.pk, "title": fresh.title}]

    # The same period again: nothing more, whatever runs again.
    assert services.digest_send_due(organization=org_a) == 0
    assert Digest.objects.filter(membership=employee_a).count() == 1


def test_english_for_an_english_speaker(org_a, employee_a):
    _speaks(employee_a, "en")
    ContentFactory(organization=org_a, title="We are hiring")
    mail.outbox.clear()
    services.digest_send_due(organization=org_a)
    [email] = [m for m in mail.outbox if m.to == [employee_a.user.email]]
    assert email.subject == f"1 new post to share from {org_a.name}"
    assert "Here is what is new for you to share" in email.body


def test_nothing_new_means_no_email(org_a, employee_a):
    old = ContentFactory(organization=org_a, title="Old news")
    ContentItem.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30), approved_at=None
    )
    shared = ContentFactory(organization=org_a, title="Already shared by them")
    ShareFactory(organization=org_a, membership=employee_a, content=shared)
    mail.outbox.clear()
    assert services.digest_send_due(organization=org_a) == 0
    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_the_organization_default_and_never(org_a, admin_a, employee_a, member_factory):
    quiet = member_factory(org_a)
    services.digest_preference_set(organization=org_a, membership=quiet, frequency="never")
    ContentFactory(organization=org_a)
    services.digest_policy_set(organization=org_a, actor=admin_a, default_frequency="never")
    mail.outbox.clear()
    assert services.digest_send_due(organization=org_a) == 0
    assert AuditEntry.objects.filter(action="digest.default_changed").count() == 1

    services.digest_policy_set(organization=org_a, actor=admin_a, default_frequency="weekly")
    services.digest_send_due(organization=org_a)
    receivers = {m.to[0] for m in mail.outbox}
    assert employee_a.user.email in receivers and admin_a.user.email in receivers
    assert quiet.user.email not in receivers
    assert Digest.objects.get(membership=employee_a).frequency == "weekly"


def test_periods_follow_the_organizations_clock(org_a, settings):
    settings.DIGEST_SEND_HOUR = 8
    settings.DIGEST_WEEKDAY = 0
    org_a.timezone = "Asia/Jakarta"
    utc = ZoneInfo("UTC")
    period = selectors.digest_period
    # Sunday 23:30 UTC is Monday 06:30 in Jakarta (UTC+7): not yet.
    monday_0630_wib = dt.datetime(2026, 11, 29, 23, 30, tzinfo=utc)
    assert period(organization=org_a, frequency="weekly", now=monday_0630_wib) is None
    assert period(organization=org_a, frequency="daily", now=monday_0630_wib) is None
    monday_0830_wib = dt.datetime(2026, 11, 30, 1, 30, tzinfo=utc)
    assert period(organization=org_a, frequency="daily", now=monday_0830_wib) == "2026-11-30"
    assert period(organization=org_a, frequency="weekly", now=monday_0830_wib) == "2026-W49"
    thursday = monday_0830_wib + dt.timedelta(days=3)
    assert period(organization=org_a, frequency="weekly", now=thursday) == "2026-W49"
    assert period(organization=org_a, frequency="never", now=thursday) is None


def test_the_members_page_saves_their_choice(web, org_a, employee_a):
    client = web.as_member(employee_a)
    url = reverse("campaigns:digest_preferences", kwargs={"org_slug": org_a.slug})
    page = client.get(url).content.decode()
    assert 'data-testid="digest-preferences"' in page
    assert client.post(url, {"frequency": "daily"}).status_code == 302
    assert DigestPreference.objects.get(membership=employee_a).frequency == "daily"
    bad = client.post(url, {"frequency": "hourly"})
    assert bad.status_code == 400
    assert DigestPreference.objects.get(membership=employee_a).frequency == "daily"


def test_the_admin_page_shows_who_receives_it_and_what_was_sent(
    web, org_a, admin_a, employee_a, member_factory
):
    quiet = member_factory(org_a)
    services.digest_preference_set(organization=org_a, membership=quiet, frequency="never")
    services.digest_preference_set(organization=org_a, membership=employee_a, frequency="daily")
    item = ContentFactory(organization=org_a, title="Open house on Friday")
    services.digest_send_due(organization=org_a)
    url = reverse("campaigns:digest_admin", kwargs={"org_slug": org_a.slug})
    page = web.as_member(admin_a).get(url).content.decode()
    assert 'data-testid="count-daily">1<' in page
    assert 'data-testid="count-weekly">1<' in page  # the admin, on the default
    assert 'data-testid="count-never">1<' in page
    assert quiet.user.email in page
    assert item.title in page and 'data-testid="digest-row"' in page
    assert web.as_member(employee_a).get(url).status_code == 403
