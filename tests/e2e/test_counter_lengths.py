"""Issue 13: the content editor's live counter agrees with the server's one length rule
(advocacy/lengths.py) on every network, for the text people actually write: emoji
ZWJ sequences, flags, skin tones, CJK, combining marks, URLs, remote mentions, and
text exactly at a network's limit.

The strings are typed into a caption on the real page (a phone, in Chromium); the
counter the curator sees is read and compared with lengths.length() in Python."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from advocacy import lengths
from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

NETWORKS = ["linkedin", "x", "facebook", "mastodon", "bluesky"]

SAMPLES = {
    "zwj family and flags": "Family day 👨‍👩‍👧‍👦 with 🇮🇩 and 🏳️‍🌈, thumbs 👍🏽 and 1️⃣",
    "cjk": "日本語のテキストと中文，한국어도 있어요",
    "combining marks": "Cafe\u0301 n\u0303o a\u0300 Zalgo: z\u0337\u0321\u0359a\u0336\u0327l\u0335g\u0334o",
    "urls": "Read https://news.acme.example/" + "a" * 80 + " and http://x.io/b?c=d#e too",
    "remote mention": "Thanks @alice@mastodon.social and @bob for this https://acme.example",
    "x at its limit with cjk": "你好" * 70,
    "x one over with emoji": "🙂" * 140 + "a",
    "bluesky at its limit": "👩‍🚀" * 300,
    "mastodon at its limit with links": "https://acme.example/" + "x" * 60 + " " + "é" * 476,
    "indic and thai clusters": "क्षत्रिय नमस्ते, สวัสดีครับ",
    "hangul jamo": "\u1100\u1161\u11a8 한글",
    "newer emoji and skin tones": "🫠🪿 👨🏾‍💻 👍🏽",
    "latin": "Plain ASCII text with punctuation: (ok) - done.",
}


def _open_editor(page, login, org, curator, password):
    # Navigation may wait as long as the shared machine needs: this test measures counts, not speed.
    page.set_default_navigation_timeout(0)
    login(page, curator.user.email, password)
    page.goto(f"/o/{org.slug}/library/new/")
    return page.locator("[data-caption-row]").first


def _counts(row) -> dict[str, int]:
    shown = {}
    for network in NETWORKS:
        text = row.locator(f"[data-network-count={network}]").inner_text()
        shown[network] = int(re.search(r"(\d+) / \d+", text).group(1))
    return shown


def test_the_editors_counter_matches_the_servers_rule(
    phone_page, login, org_a, member_factory, password
):
    curator = member_factory(org_a, Role.CURATOR)
    row = _open_editor(phone_page, login, org_a, curator, password)
    textarea = row.locator("textarea")
    expect(row.locator("[data-network-count=x]")).to_be_visible()
    mismatches = []
    for name, text in SAMPLES.items():
        textarea.fill(text)
        expect(textarea).to_have_value(text)
        shown = _counts(row)
        expected = {network: lengths.length(text, network) for network in NETWORKS}
        if shown != expected:
            mismatches.append((name, shown, expected))
    assert mismatches == []


def test_over_the_limit_is_shown_in_red_exactly_past_it(
    phone_page, login, org_a, member_factory, password
):
    curator = member_factory(org_a, Role.CURATOR)
    row = _open_editor(phone_page, login, org_a, curator, password)
    x = row.locator("[data-network-count=x]")
    bluesky = row.locator("[data-network-count=bluesky]")
    row.locator("textarea").fill("你好" * 70)  # 280 weighted: fits X
    expect(x).to_have_text("X 280 / 280")
    expect(x).not_to_have_class(re.compile("text-danger"))
    row.locator("textarea").fill("你好" * 70 + "!")
    expect(x).to_have_text("X 281 / 280")
    expect(x).to_have_class(re.compile("text-danger"))
    row.locator("textarea").fill("👩‍🚀" * 301)  # 301 graphemes: one over Bluesky's 300
    expect(bluesky).to_have_text("Bluesky 301 / 300")
    expect(bluesky).to_have_class(re.compile("text-danger"))
