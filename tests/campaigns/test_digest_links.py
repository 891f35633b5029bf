"""The digest e-mail's links, used the way mail apps, link scanners and attackers use
them: RFC 8058 one-click unsubscribe (a POST with `List-Unsubscribe=One-Click`, no
cookie, no CSRF token), a GET that must change nothing, links used twice, tampered,
or someone else's; one-tap share links that record a tracked share for the member."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from campaigns.digests import services
from campaigns.digests.emails import unsubscribe_url
from campaigns.digests.models import DigestPreference
from campaigns.digests.tokens import share_token, unsubscribe_token
from campaigns.models import Share, TrackedLink

from .factories import ContentFactory

pytestmark = pytest.mark.django_db
ONE_CLICK = "List-Unsubscribe=One-Click"


def _frequency(member):
    row = DigestPreference.objects.filter(membership=member).first()
    return row.frequency if row else ""


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def mailer():
    return Client(enforce_csrf_checks=True)  # a mail provider: no session, no CSRF cookie


def test_one_click_unsubscribe_from_the_mail_app(
    settings, mailer, org_a, employee_a, member_factory
):
    settings.DIGEST_SEND_HOUR = settings.DIGEST_WEEKDAY = 0
    colleague = member_factory(org_a)
    services.digest_preference_set(organization=org_a, membership=colleague, frequency="daily")
    ContentFactory(organization=org_a)
    mail.outbox.clear()
    services.digest_send_due(organization=org_a)
    [email] = [m for m in mail.outbox if m.to == [employee_a.user.email]]
    target = email.extra_headers["List-Unsubscribe"].strip("<>")

    # A scanner following the link changes nothing; the page offers one button.
    page = mailer.get(_path(target))
    assert page.status_code == 200 and 'data-testid="digest-unsubscribe"' in page.content.decode()
    assert _frequency(employee_a) == ""

    answer = mailer.post(_path(target), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    assert _frequency(employee_a) == "never"
    assert _frequency(colleague) == "daily"  # nobody else changed
    mail.outbox.clear()
    assert services.digest_send_due(organization=org_a) >= 0
    assert all(m.to != [employee_a.user.email] for m in mail.outbox)


def test_a_link_used_twice_changes_nothing_more(mailer, org_a, employee_a):
    url = _path(unsubscribe_url(employee_a))
    mailer.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    row = DigestPreference.objects.get(membership=employee_a)
    again = mailer.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200
    assert "already unsubscribed" in again.content.decode()
    row2 = DigestPreference.objects.get(membership=employee_a)
    assert (row2.frequency, row2.unsubscribed_at, row2.updated_at) == (
        row.frequency,
        row.unsubscribed_at,
        row.updated_at,
    )


def test_someone_elses_link_unsubscribes_only_its_owner(web, org_a, employee_a, member_factory):
    other = member_factory(org_a)
    services.digest_preference_set(organization=org_a, membership=other, frequency="weekly")
    client = web.as_member(other)  # signed in as someone else, using employee_a's link
    client.post(
        _path(unsubscribe_url(employee_a)),
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert _frequency(employee_a) == "never"
    assert _frequency(other) == "weekly"


def test_another_organizations_link_changes_nothing_here(
    mailer, org_a, org_b, employee_a, member_factory
):
    services.digest_preference_set(organization=org_a, membership=employee_a, frequency="daily")
    member_b = member_factory(org_b)
    answer = mailer.post(
        _path(unsubscribe_url(member_b)),
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert _frequency(member_b) == "never"
    assert _frequency(employee_a) == "daily"
    assert DigestPreference.objects.filter(organization=org_a).count() == 1


def test_tampered_or_misused_tokens_change_nothing(
    mailer, org_a, org_b, employee_a, member_factory
):
    member_b = member_factory(org_b)
    token = unsubscribe_token(employee_a)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    share_as_unsubscribe = share_token(employee_a, 1)  # signed for another use
    for bad in (tampered, share_as_unsubscribe, "x", token.split(":")[0]):
        url = reverse("digest_unsubscribe", kwargs={"token": bad})
        answer = mailer.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 400
        assert 'data-testid="digest-link-invalid"' in answer.content.decode()
    assert not DigestPreference.objects.exists()
    # A member who left: the link no longer does anything.
    member_b.is_active = False
    member_b.save(update_fields=["is_active"])
    gone = mailer.post(
        _path(unsubscribe_url(member_b)),
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert gone.status_code == 400
    assert not DigestPreference.objects.exists()


def test_the_unsubscribe_page_speaks_the_members_language(mailer, org_a, employee_a):
    employee_a.user.preferred_language = "id"
    employee_a.user.save(update_fields=["preferred_language"])
    page = mailer.get(_path(unsubscribe_url(employee_a))).content.decode()
    assert "Hentikan e-mail ringkasan?" in page


def test_a_share_link_tapped_by_a_person_records_a_tracked_share(mailer, org_a, employee_a):
    item = ContentFactory(organization=org_a, url="https://news.example.com/plant")
    url = reverse(
        "digest_share", kwargs={"token": share_token(employee_a, item.pk), "channel": "linkedin"}
    )

    # A link scanner (no Sec-Fetch-User) gets a page with a button; nothing is recorded.
    scanned = mailer.get(url)
    assert scanned.status_code == 200 and 'data-testid="digest-share"' in scanned.content.decode()
    assert not Share.objects.exists()

    tapped = mailer.get(url, HTTP_SEC_FETCH_USER="?1", HTTP_SEC_FETCH_MODE="navigate")
    assert tapped.status_code == 302
    intent = urlsplit(tapped["Location"])
    assert intent.netloc == "www.linkedin.com"
    share = Share.objects.get(membership=employee_a, content=item, channel="linkedin")
    assert share.status == Share.Status.SHARED_BY_HAND
    link = TrackedLink.objects.get(share=share)
    assert f"/r/{link.code}" in parse_qs(intent.query)["text"][0]

    # Tapped again: the same share and tracked link.
    mailer.get(url, HTTP_SEC_FETCH_USER="?1")
    assert Share.objects.filter(membership=employee_a).count() == 1

    # The tracked link counts for the share: /r/<code> sends visitors on, tagged.
    visit = Client().get(f"/r/{link.code}")
    assert visit.status_code == 302
    assert "utm_source=linkedin" in visit["Location"]


def test_share_links_that_cannot_work(mailer, org_a, employee_a, member_factory):
    from django.utils import timezone

    item = ContentFactory(
        organization=org_a, expires_at=timezone.now() + timezone.timedelta(hours=1)
    )
    token = share_token(employee_a, item.pk)
    bad_channel = mailer.get(reverse("digest_share", kwargs={"token": token, "channel": "myspace"}))
    assert bad_channel.status_code == 400
    tampered = reverse("digest_share", kwargs={"token": token[:-2] + "zz", "channel": "x"})
    assert mailer.get(tampered, HTTP_SEC_FETCH_USER="?1").status_code == 400
    item.expires_at = timezone.now() - timezone.timedelta(minutes=1)
    item.save(update_fields=["expires_at"])
    gone = mailer.get(
        reverse("digest_share", kwargs={"token": token, "channel": "x"}), HTTP_SEC_FETCH_USER="?1"
    )
    assert gone.status_code == 410
    assert not Share.objects.exists()
