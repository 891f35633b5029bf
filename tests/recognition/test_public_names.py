"""Surfaces other people read (the intranet embed, its RSS and JSON feeds, the monthly
newsletter, leaderboards, the recognition feed and API) name a person by the display
name they chose, or "a colleague": never by their e-mail address."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from recognition.periods import add_months, local_today, month_start
from recognition.selectors import leaderboard
from recognition.services import (
    award_program_create,
    award_round_close,
    award_round_open,
    newsletter_prepare,
    newsletter_render,
    settings_ensure,
    shoutout_send,
)

from .factories import give_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def nameless(org_a, member_factory):
    person = member_factory(org_a)
    person.user.name = ""
    person.user.email = "nameless.person@example.com"
    person.user.save()
    return person


@pytest.fixture
def named(org_a, member_factory):
    person = member_factory(org_a)
    person.user.name = "Dewi Lestari"
    person.user.save()
    return person


def _no_address(text: str, person) -> None:
    assert person.user.email not in text
    assert "nameless.person" not in text


def test_embed_rss_and_json_feed_say_a_colleague(client, org_a, nameless, named):
    settings = settings_ensure(organization=org_a)
    shoutout_send(organization=org_a, sender=named, recipient=nameless, message="Great post")
    shoutout_send(organization=org_a, sender=nameless, recipient=named, message="Thanks back")
    base = f"/recognition/embed/{settings.feed_token}/"
    with translation.override("en"):
        widget = client.get(base).content.decode()
    rss = client.get(base + "feed.rss").content.decode()
    items = client.get(base + "feed.json").json()["items"]
    for text in (widget, rss, str(items)):
        _no_address(text, nameless)
        assert "Dewi Lestari" in text
    assert {item["to"] for item in items} == {"Dewi Lestari", "a colleague"}
    assert "a colleague" in widget


def test_the_embed_speaks_indonesian_for_an_indonesian_organization(client, org_a, nameless, named):
    org_a.default_language = "id"
    org_a.save()
    settings = settings_ensure(organization=org_a)
    shoutout_send(organization=org_a, sender=named, recipient=nameless, message="Mantap")
    widget = client.get(f"/recognition/embed/{settings.feed_token}/").content.decode()
    _no_address(widget, nameless)
    assert "seorang rekan" in widget


def test_newsletter_names_top_advocates_without_addresses(org_a, nameless, named):
    last_month = add_months(month_start(local_today(org_a)), -1)
    moment = timezone.now().replace(day=1) - datetime.timedelta(days=3)
    give_points(nameless, 90, created_at=moment)
    give_points(named, 50, created_at=moment)
    newsletter = newsletter_prepare(organization=org_a, month=last_month)
    rendered = newsletter_render(organization=org_a, newsletter=newsletter, membership=named)
    for part in ("text", "html"):
        _no_address(rendered[part], nameless)
        assert "a colleague" in rendered[part]


def test_leaderboard_rows_page_and_api_show_no_address(web, org_a, nameless, named, admin_a):
    give_points(nameless, 30)
    give_points(named, 20)
    board = leaderboard(organization=org_a, viewer=admin_a, segment="people")
    assert [row.label for row in board.rows] == ["a colleague", "Dewi Lestari"]
    client = web.as_member(named)
    page = client.get(reverse("recognition:leaderboards", kwargs={"org_slug": org_a.slug}))
    _no_address(page.content.decode(), nameless)
    api = client.get(f"/api/v1/orgs/{org_a.slug}/recognition/leaderboard/")
    assert api.status_code == 200
    _no_address(api.content.decode(), nameless)
    assert "a colleague" in api.content.decode()


def test_the_in_app_feed_shows_a_colleague(web, org_a, nameless, named):
    shoutout_send(organization=org_a, sender=named, recipient=nameless, message="Well done")
    page = web.as_member(named).get(reverse("recognition:feed", kwargs={"org_slug": org_a.slug}))
    assert page.status_code == 200
    # The recipient picker may list addresses to tell people apart; the items may not.
    items = re.findall(
        r'<article[^>]*data-testid="feed-item".*?</article>', page.content.decode(), re.S
    )
    assert items and "Well done" in items[0]
    _no_address("".join(items), nameless)
    assert "a colleague" in items[0]


def test_an_award_for_a_nameless_winner_is_announced_without_their_address(
    client, org_a, nameless, named, admin_a
):
    """The stored award message is what the embed and feeds later show to everyone."""
    from recognition.models import AwardProgram, ShoutOut

    settings = settings_ensure(organization=org_a)
    for person, title in ((nameless, "Advocate of the Month"), (named, "Voice of the Month")):
        program = award_program_create(
            organization=org_a,
            name=title,
            cadence=AwardProgram.Cadence.MONTHLY,
            points=0,
            voting_enabled=False,
        )
        award_round = award_round_open(organization=org_a, program=program)
        award_round_close(organization=org_a, award_round=award_round, winner=person, actor=admin_a)
    messages = set(
        ShoutOut.objects.filter(kind=ShoutOut.Kind.AWARD).values_list("message", flat=True)
    )
    assert messages == {
        "a colleague is our Advocate of the Month!",
        "Dewi Lestari is our Voice of the Month!",
    }
    feed = client.get(f"/recognition/embed/{settings.feed_token}/feed.json").content.decode()
    _no_address(feed, nameless)
