"""One length rule, checked against the networks' documented counting and
then through each adapter against the sandbox: exactly at the limit goes
through, one over is refused before any call with a message naming the rule.

Expected figures come from the documentation, not from the code: X weighs
CJK and emoji 2 and any URL 23 (docs.x.com counting-characters); Bluesky
counts 300 graphemes and 3,000 UTF-8 bytes (app.bsky.feed.post lexicon);
Mastodon counts graphemes with URLs as 23 (StatusLengthValidator)."""

from __future__ import annotations

import uuid

import pytest

from advocacy import lengths
from campaigns.services.shares import text_check
from content_library.networks import effective_length, fits
from social.providers.base import Permanent, ShareRequest

from .conftest import connect

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, 5 code points, 18 bytes
E_ACUTE = "e\u0301"  # one grapheme, two code points
URL = "https://example.com/a/very/long/path/that/is/much/longer/than/23/characters"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a" * 280, 280),
        ("日" * 140, 280),  # CJK weighs 2
        ("😀" * 140, 280),  # emoji weigh 2
        (FAMILY * 140, 280),  # a ZWJ sequence is one emoji: 2
        (E_ACUTE * 280, 280),  # twitter-text counts after NFC: e + acute is é, weight 1
        ("q\u0301" * 140, 280),  # no precomposed form: two code points of weight 1
        (f"{URL} " * 11 + "a" * 16, 11 * 24 + 16),  # every URL is 23
    ],
)
def test_x_weighted_length(text, expected):
    assert lengths.length(text, "x") == expected


def test_bluesky_graphemes_and_bytes():
    assert lengths.length(FAMILY * 300, "bluesky") == 300
    assert lengths.length(E_ACUTE * 300, "bluesky") == 300
    assert lengths.fits(E_ACUTE * 300, "bluesky")  # 900 bytes
    assert not lengths.fits(E_ACUTE * 301, "bluesky")
    family = lengths.measure(FAMILY * 167, "bluesky")  # 167 graphemes, 3,006 bytes
    assert family.length == 167 and family.size == 3006
    assert family.over_bytes and not family.ok
    assert "3000 bytes" in (family.problem() or "")
    assert lengths.fits(FAMILY * 166, "bluesky")  # 2,988 bytes


def test_mastodon_counts_graphemes_urls_and_remote_mentions():
    assert lengths.length(FAMILY * 500, "mastodon") == 500
    assert lengths.length(f"{URL} hi", "mastodon") == 26
    assert lengths.length("@ana@social.example.org hi", "mastodon") == len("@ana hi")
    # the instance's own maximum replaces the default 500
    assert lengths.fits("a" * 1000, "mastodon", limit=1000)
    assert not lengths.fits("a" * 1001, "mastodon", limit=1000)


def test_content_library_uses_the_same_rule():
    assert effective_length("日" * 140, "x") == 280
    assert effective_length(E_ACUTE * 300, "bluesky") == 300
    assert fits(E_ACUTE * 300, "bluesky")
    assert not fits(FAMILY * 167, "bluesky")


# -- through the adapters, against the sandbox ------------------------------------

AT_LIMIT = {
    "x": ["日" * 140, "😀" * 140, E_ACUTE * 280, f"{URL} " * 11 + "a" * 16],
    "bluesky": [FAMILY * 166, E_ACUTE * 300, "日" * 300],
    "mastodon": [FAMILY * 500, "日" * 500, f"{URL} " * 20 + "a" * 20],
}
ONE_OVER = {
    "x": ["日" * 140 + "a", "😀" * 141, E_ACUTE * 281, f"{URL} " * 11 + "a" * 17],
    "bluesky": [FAMILY * 167, E_ACUTE * 301, "日" * 301],
    "mastodon": [FAMILY * 501, "日" * 501, f"{URL} " * 20 + "a" * 21],
}


@pytest.mark.parametrize("key", ["x", "bluesky", "mastodon"])
def test_exactly_at_the_limit_is_published(sandbox, key):
    provider, token, _ = connect(sandbox, key, handle=f"len-{uuid.uuid4().hex[:6]}")
    for text in AT_LIMIT[key]:
        result = provider.publish(token, ShareRequest(text=text))
        assert result.external_id
    assert len(sandbox.control.posts(key)) == len(AT_LIMIT[key])


@pytest.mark.parametrize("key", ["x", "bluesky", "mastodon"])
def test_one_over_is_refused_before_sending_naming_the_rule(sandbox, key):
    provider, token, _ = connect(sandbox, key, handle=f"len-{uuid.uuid4().hex[:6]}")
    for text in ONE_OVER[key]:
        with pytest.raises(Permanent) as err:
            provider.publish(token, ShareRequest(text=text))
        assert err.value.code == "too_long"
        assert key in err.value.message and (
            "graphemes" in err.value.message
            or "characters" in err.value.message
            or "bytes" in err.value.message
        )
    assert sandbox.control.posts(key) == []


@pytest.mark.parametrize("key", ["x", "bluesky", "mastodon"])
def test_the_sandbox_refuses_one_over_like_the_network(sandbox, key):
    """Sent raw (as a careless client would), the sandbox answers the network's error."""
    import requests

    _, token, _ = connect(sandbox, key, handle=f"raw-{uuid.uuid4().hex[:6]}")
    text = ONE_OVER[key][0]
    headers = {"Authorization": f"Bearer {token.access_token}"}
    if key == "x":
        resp = requests.post(
            f"{sandbox.url('x')}/2/tweets", json={"text": text}, headers=headers, timeout=10
        )
        assert resp.status_code == 400 and "too long" in resp.text
    elif key == "mastodon":
        resp = requests.post(
            f"{sandbox.url('mastodon')}/api/v1/statuses",
            data={"status": text},
            headers=headers,
            timeout=10,
        )
        assert resp.status_code == 422 and "character limit of 500" in resp.text
    else:
        resp = requests.post(
            f"{sandbox.url('bluesky')}/xrpc/com.atproto.repo.createRecord",
            json={
                "repo": token.extra["did"],
                "collection": "app.bsky.feed.post",
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": text,
                    "createdAt": "2026-12-01T00:00:00.000Z",
                },
            },
            headers=headers,
            timeout=10,
        )
        assert resp.status_code == 400 and "3000 bytes" in resp.text
    assert sandbox.control.posts(key) == []


def test_mastodon_uses_the_instances_own_maximum(sandbox):
    sandbox.control.policy(mastodon_max_characters=1000)
    provider, token, _ = connect(sandbox, "mastodon", handle="long.poster")
    assert token.extra["max_characters"] == 1000
    provider.publish(token, ShareRequest(text="a" * 1000))
    with pytest.raises(Permanent, match="1000"):
        provider.publish(token, ShareRequest(text="b" * 1001))


def test_the_composer_refuses_what_the_network_would():
    """campaigns' share check counts with the same rule, bytes included."""
    from django.core.exceptions import ValidationError

    text_check(text=FAMILY * 160, network="bluesky", url="")  # 2,880 bytes
    with pytest.raises(ValidationError, match="3000 bytes"):
        text_check(text=FAMILY * 167, network="bluesky", url="")
    text_check(text="日" * 140, network="x", url="")
    with pytest.raises(ValidationError, match="281"):
        text_check(text="日" * 140 + "a", network="x", url="")
