"""The demo shows pictures (issue 17): after `manage.py seed_demo`, every content card an
employee sees in the feed and every item a curator sees in the library has an <img>, and
that image's URL answers 200 with an image, as a browser would fetch it. The live server
serves the media storage the way `make run` does (MEDIA_URL from MEDIA_ROOT)."""

from __future__ import annotations

import io
import re
import urllib.request
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils import translation
from PIL import Image

from advocacy.tenancy.models import Membership, Organization
from content_library.models import ContentItem

CARD = re.compile(r'<article class="card[^"]*feed-card".*?</article>', re.S)
LIBRARY_ROW = re.compile(
    r'<div class="list-group-item d-flex gap-2 align-items-start">.*?</a>', re.S
)


class Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def image_sources(html: str) -> list[str]:
    parser = Images()
    parser.feed(html)
    return parser.sources


def fetch_image(base_url: str, src: str) -> tuple[int, str, tuple[int, int]]:
    url = src if src.startswith("http") else base_url + src
    with urllib.request.urlopen(url) as response:
        body = response.read()
        status, content_type = response.status, response.headers.get_content_type()
    with Image.open(io.BytesIO(body)) as picture:
        picture.verify()
        size = picture.size
    return status, content_type, size


def member(slug: str, email_local: str) -> Membership:
    return Membership.objects.select_related("user", "organization").get(
        organization__slug=slug, user__email=f"{email_local}@{slug}.example"
    )


def feed_cards(web, who: Membership) -> list[str]:
    cards, page = [], 1
    client = web.as_member(who)
    while True:
        response = client.get(f"/o/{who.organization.slug}/share/", {"page": page})
        assert response.status_code == 200
        html = response.content.decode()
        cards += CARD.findall(html)
        if f"?page={page + 1}" not in html:
            return cards
        page += 1


def library_rows(web, who: Membership) -> list[str]:
    rows, page = [], 1
    client = web.as_member(who)
    while True:
        response = client.get(f"/o/{who.organization.slug}/library/", {"page": page})
        assert response.status_code == 200
        html = response.content.decode()
        rows += LIBRARY_ROW.findall(html)
        if f"page={page + 1}" not in html:
            return rows
        page += 1


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    translation.deactivate()  # the Indonesian pages leave their language on this thread


@pytest.mark.django_db(transaction=True)  # the live server serves the pictures
def test_every_demo_card_and_library_item_shows_an_image_that_loads(media_root, web, live_server):
    call_command("seed_demo", verbosity=0)
    checked: dict[str, tuple[int, str, tuple[int, int]]] = {}
    for slug in ("acme", "globex"):
        organization = Organization.objects.get(slug=slug)
        every_item = ContentItem.objects.for_org(organization).count()
        assert every_item >= 13
        cards = feed_cards(web, member(slug, "employee1"))
        assert len(cards) == ContentItem.objects.for_org(organization).shareable().count() >= 8
        rows = library_rows(web, member(slug, "curator"))
        assert len(rows) == every_item

        for where, blocks in (("feed", cards), ("library", rows)):
            for block in blocks:
                sources = image_sources(block)
                assert len(sources) == 1 and sources[0], f"{slug} {where}: no image in {block}"
                if where == "feed":
                    assert "is-missing" not in block  # the placeholder is for no picture
                src = sources[0]
                if src not in checked:
                    checked[src] = fetch_image(live_server.url, src)
                status, content_type, (width, height) = checked[src]
                assert status == 200, src
                assert content_type.startswith("image/"), (src, content_type)
                assert width >= 300 and height >= 150, (src, width, height)

        # every kind has its picture: the video's is its thumbnail, as the cards show
        kinds = set(ContentItem.objects.for_org(organization).values_list("kind", flat=True))
        assert kinds == {"article", "image", "video", "document", "text"}
        for item in ContentItem.objects.for_org(organization):
            assert item.image and item.thumbnail, item.title


@pytest.mark.django_db
def test_seeding_again_stores_no_second_copy_of_the_pictures(media_root):
    call_command("seed_demo", verbosity=0)
    before = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())
    assert before
    pictures = dict(ContentItem.objects.values_list("pk", "thumbnail"))
    call_command("seed_demo", verbosity=0)
    after = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())
    assert after == before
    assert dict(ContentItem.objects.values_list("pk", "thumbnail")) == pictures
