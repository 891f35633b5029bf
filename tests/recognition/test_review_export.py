"""The performance-review export against the person's own pages.

One advocate's year is built through the real services and events (shares by hand,
clicks through the real redirect, courses, a pulse round, shout-outs, public and
private thanks, an award). Then the pages the advocate reads are rendered and read
the way a person reads them: My shares (campaigns), Training (content library), their
recognition page (figures, badges, messages from leadership, points history) and their
profile (recognition received). Every column of the admin's CSV export must say what
those pages say. Runs on SQLite and PostgreSQL (set DATABASE_URL).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaigns
from content_library import services as library
from recognition.models import AwardProgram
from recognition.services import (
    award_program_create,
    award_round_close,
    award_round_open,
    settings_update,
    shoutout_send,
    thank_you_send,
    thanks_post,
)
from tests.analytics.conftest import no_redis, wsgi  # noqa: F401  (the real redirect)
from tests.campaigns.factories import ContentFactory
from tests.surveys.factories import answer, close, make_survey, open_round

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """What a reader sees: the text of each marked element, and how many there are."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.marked: list[tuple[dict, list[str]]] = []
        self._open: list[tuple[dict, list[str]]] = []
        self._depth: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for depth_index in range(len(self._depth)):
            self._depth[depth_index] += 1
        if any(key.startswith("data-") for key in attrs):
            entry = (attrs, [])
            self.marked.append(entry)
            self._open.append(entry)
            self._depth.append(1)
        if tag in self.VOID:
            self.handle_endtag(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for depth_index in range(len(self._depth)):
            self._depth[depth_index] -= 1
        while self._depth and self._depth[-1] <= 0:
            self._depth.pop()
            self._open.pop()

    def handle_data(self, data):
        for _attrs, texts in self._open:
            texts.append(data)

    def all(self, **attrs) -> list[str]:
        wanted = {key.replace("_", "-"): value for key, value in attrs.items()}
        return [
            " ".join("".join(texts).split())
            for found, texts in self.marked
            if all(found.get(key) == value for key, value in wanted.items())
        ]

    def one(self, **attrs) -> str:
        [text] = self.all(**attrs)
        return text


def _number(text: str) -> int:
    return int(re.sub(r"[^\d-]", "", text))


@pytest.fixture
def year(
    org_a,
    admin_a,
    employee_a,
    member_factory,
    wsgi,  # noqa: F811
    no_redis,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A year of one advocate, Emma (employee_a), as the program records it."""
    settings_update(
        organization=org_a,
        points_per_share=10,
        points_per_course=0,  # courses count as completed even when they earn nothing
        points_per_pulse=5,
        points_per_shoutout=3,
        clicks_per_milestone=2,
        points_per_click_milestone=1,
    )
    colleagues = [member_factory(org_a) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        shares = []
        for index, channel in enumerate(["whatsapp", "email", "copy"]):
            content = ContentFactory(organization=org_a, title=f"Our plant no. {index}")
            share, _url = campaigns.share_record_by_hand(
                organization=org_a,
                membership=employee_a,
                content=content,
                channel=channel,
                text="Look",
            )
            shares.append(share)
        # A colleague shares too: nothing of theirs may reach Emma's figures.
        campaigns.share_record_by_hand(
            organization=org_a,
            membership=colleagues[0],
            content=ContentFactory(organization=org_a),
            channel="whatsapp",
            text="Mine",
        )
    for share, visitors in zip(shares, (5, 2, 0), strict=True):
        code = share.links.get().code
        for visitor in range(visitors):
            with django_capture_on_commit_callbacks(execute=True):
                response = wsgi(f"/r/{code}", ip=f"198.51.100.{visitor + 10}")
            assert response.status_code == 302

    courses = []
    for title in ("Sharing 101", "Disclosure", "Privacy at work"):
        course = library.course_save(organization=org_a, title=title, is_published=True)
        lesson = library.lesson_save(
            organization=org_a, course=course, title="One", body="<p>Say you work here</p>"
        )
        courses.append((course, lesson))
    with django_capture_on_commit_callbacks(execute=True):
        for _course, lesson in courses[:2]:  # two of three finished, one of them twice
            library.lesson_complete(organization=org_a, membership=employee_a, lesson=lesson)
        library.lesson_complete(organization=org_a, membership=employee_a, lesson=courses[0][1])

    for _ in range(2):
        pulse = open_round(make_survey(org_a))
        answer(pulse, employee_a)
        answer(pulse, colleagues[1])
        with django_capture_on_commit_callbacks(execute=True):
            close(pulse)

    with django_capture_on_commit_callbacks(execute=True):
        for colleague in colleagues[:2]:
            shoutout_send(
                organization=org_a, sender=colleague, recipient=employee_a, message="Great post"
            )
        shoutout_send(
            organization=org_a, sender=employee_a, recipient=colleagues[2], message="Thanks!"
        )
        thanks_post(organization=org_a, sender=admin_a, recipient=employee_a, message="Well done")
        thank_you_send(
            organization=org_a,
            sender=admin_a,
            recipients=[employee_a, colleagues[1]],
            subject="Thank you",
            body="For the launch",
        )
        program = award_program_create(
            organization=org_a,
            name="Advocate of the Month",
            cadence=AwardProgram.Cadence.MONTHLY,
            points=50,
            voting_enabled=False,
        )
        award_round_close(
            organization=org_a,
            award_round=award_round_open(organization=org_a, program=program),
            winner=employee_a,
            actor=admin_a,
        )
    return employee_a


def _export(web, admin, start: datetime.date, end: datetime.date) -> dict[str, dict[str, str]]:
    response = web.as_member(admin).get(
        reverse("recognition:summary_csv", kwargs={"org_slug": admin.organization.slug}),
        {"start": start.isoformat(), "end": end.isoformat()},
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {row["Email"]: row for row in rows}


def _page(web, member, name: str, **kwargs) -> Page:
    url = reverse(name, kwargs={"org_slug": member.organization.slug, **kwargs})
    response = web.as_member(member).get(url)
    assert response.status_code == 200
    return Page(response.content.decode())


def test_every_export_column_says_what_the_persons_own_pages_say(web, admin_a, year):
    emma = year
    today = timezone.localdate()
    exported = _export(
        web, admin_a, today - datetime.timedelta(days=364), today + datetime.timedelta(days=1)
    )
    row = exported[emma.user.email]

    my_shares = _page(web, emma, "campaigns:my_shares")
    training = _page(web, emma, "content_library:training")
    mine = _page(web, emma, "recognition:me")
    profile = _page(web, emma, "recognition:profile", pk=emma.pk)

    shared = my_shares.all(data_testid="share-row")
    clicks_per_share = [_number(text) for text in my_shares.all(data_testid="share-clicks")]
    completed = [text for text in training.all(data_testid="my-courses") if "Completed" in text]
    completed_courses = training.one(data_testid="my-courses").count("Completed")
    ledger = mine.one(data_testid="ledger")
    received = profile.all(data_testid="feed-item")

    assert completed  # the page shows the finished courses
    # Each column, beside the page a person would open to check it.
    assert int(row["Shares"]) == len(shared) == 3
    assert int(row["Clicks earned"]) == sum(clicks_per_share) == 7
    assert int(row["Courses completed"]) == completed_courses == 2
    assert int(row["Pulse surveys answered"]) == ledger.count("Pulse survey answered") == 2
    assert int(row["Shout-outs received"]) == ledger.count("Shout-out received") == 2
    assert int(row["Shout-outs received"]) == sum(
        "Shout-out ·" in item and "Thanks from leadership" not in item for item in received
    )
    public_thanks = sum("Thanks from leadership" in item for item in received)
    private_notes = len(mine.all(data_testid="thank-you-note"))
    assert int(row["Thanks from leadership"]) == public_thanks + private_notes == 2
    assert int(row["Awards"]) == ledger.count("Award") == 1
    assert int(row["Badges earned"]) == len(mine.all(data_testid="badge"))
    points = sum(
        int(value) for value in re.findall(r"\+(\d+)", ledger)
    )  # every positive line of the points history
    assert int(row["Points earned"]) == points == 3 * 10 + 3 + 2 * 5 + 2 * 3 + 50

    # The figures on the person's recognition page are the same ones, with the same names.
    figures = {
        "Shares": "shares",
        "Clicks earned": "clicks",
        "Courses completed": "courses",
        "Pulse surveys answered": "pulses",
        "Points earned": "points",
        "Shout-outs received": "shoutouts",
        "Thanks from leadership": "thanks",
        "Awards": "awards",
        "Badges earned": "badges",
    }
    for column, metric in figures.items():
        assert _number(mine.one(data_metric=metric)) == int(row[column]), column
        assert _number(profile.one(data_metric=metric)) == int(row[column]), column


def test_a_period_before_the_year_exports_nothing_for_it(web, admin_a, year):
    emma = year
    today = timezone.localdate()
    exported = _export(
        web, admin_a, today - datetime.timedelta(days=730), today - datetime.timedelta(days=365)
    )
    row = exported[emma.user.email]
    assert {column: row[column] for column in list(row)[5:]} == dict.fromkeys(list(row)[5:], "0")
