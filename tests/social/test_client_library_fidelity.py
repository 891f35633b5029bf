"""The sandbox's fidelity bar: popular client libraries written for the real
networks work against it with only the base URL changed. Skipped when the
libraries are not installed: Mastodon.py and atproto are dev dependencies,
tweepy is installed by `make install` without its oauthlib<4 pin."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from advocacy import lengths

from . import conftest as helpers


def test_mastodon_py_against_the_sandbox(sandbox, monkeypatch):
    mastodon = pytest.importorskip("mastodon")
    base = sandbox.url("mastodon")
    client_id, secret = mastodon.Mastodon.create_app(
        "Chorus", api_base_url=base, redirect_uris=helpers.REDIRECT_URI, scopes=["read", "write"]
    )
    api = mastodon.Mastodon(client_id=client_id, client_secret=secret, api_base_url=base)
    url = api.auth_request_url(redirect_uris=helpers.REDIRECT_URI, scopes=["read", "write"])
    code = helpers.consent(url, handle="eve")["code"]
    api.log_in(code=code, redirect_uri=helpers.REDIRECT_URI, scopes=["read", "write"])

    me = api.account_verify_credentials()
    assert me.acct == "eve" and me.followers_count > 0
    first = api.status_post("Hello from Mastodon.py", idempotency_key="same-key")
    assert api.status_post("Hello from Mastodon.py", idempotency_key="same-key").id == first.id
    sandbox.control.advance(2 * 86400)
    status = api.status(first.id)
    assert status.favourites_count > 0 and status.replies_count > 0
    replies = api.status_context(first.id).descendants
    assert len(replies) == status.replies_count and replies[0].content.startswith("<p>")
    assert api.ratelimit_remaining < api.ratelimit_limit


def test_atproto_sdk_against_the_sandbox(sandbox):
    atproto = pytest.importorskip("atproto")
    client = atproto.Client(base_url=sandbox.url("bluesky") + "/xrpc")
    profile = client.login("frank.bsky.social", "abcd-efgh-ijkl-mnop")
    assert profile.handle == "frank.bsky.social" and profile.followers_count > 0
    text = (
        atproto.client_utils.TextBuilder()
        .text("Read ")
        .link("our story", "https://chorus.example/r/1")
    )
    post = client.send_post(text)
    assert post.uri.startswith("at://did:plc:")
    sandbox.control.advance(2 * 86400)
    # The SDK refreshes by the wall clock, which did not move: sign in again
    # as a long-running app would after two days.
    client = atproto.Client(base_url=sandbox.url("bluesky") + "/xrpc")
    client.login("frank.bsky.social", "abcd-efgh-ijkl-mnop")
    view = client.get_posts([post.uri]).posts[0]
    assert view.like_count > 0
    assert client.get_profile("frank.bsky.social").followers_count == profile.followers_count
    thread = client.get_post_thread(post.uri).thread
    assert len(thread.replies) == view.reply_count


class _ToSandbox(requests.adapters.HTTPAdapter):
    """tweepy hard-codes https://api.twitter.com: this transport adapter, mounted
    on tweepy's own requests session, sends those requests to the sandbox's X
    instead. The answers are the sandbox's, untouched."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        request.url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, **kwargs)


def test_tweepy_against_the_sandbox(sandbox, monkeypatch):
    tweepy = pytest.importorskip("tweepy")
    # Only for oauthlib's check of the callback URL, which is loopback http here.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    base = sandbox.url("x")
    handler = tweepy.OAuth2UserHandler(
        client_id="chorus-x",
        redirect_uri=helpers.REDIRECT_URI,
        scope=["tweet.read", "tweet.write", "users.read", "offline.access"],
        client_secret="chorus-x-secret",
    )
    handler.mount("https://", _ToSandbox(base))
    url = handler.get_authorization_url()
    assert url.startswith("https://twitter.com/i/oauth2/authorize")
    back = helpers.consent(base + url.removeprefix("https://twitter.com"), handle="tina")
    token = handler.fetch_token(f"{helpers.REDIRECT_URI}?state={back['state']}&code={back['code']}")
    assert token["refresh_token"] and token["expires_in"] == 7200

    client = tweepy.Client(bearer_token=token["access_token"])
    client.session.mount("https://", _ToSandbox(base))
    me = client.get_me(user_auth=False, user_fields=["public_metrics"]).data
    assert me.username == "tina" and me.public_metrics["followers_count"] > 0

    # publishing, and X's duplicate-content refusal
    first = client.create_tweet(text="Hello from tweepy", user_auth=False).data
    with pytest.raises(tweepy.Forbidden, match="duplicate content"):
        client.create_tweet(text="Hello from tweepy", user_auth=False)

    # lengths at the limit: CJK weighs 2, every URL 23
    at_limit = "日" * 128 + " https://example.com/r/" + "a" * 40  # a real TLD: X links only those
    assert lengths.length(at_limit, "x") == 280
    client.create_tweet(text=at_limit, user_auth=False)
    with pytest.raises(tweepy.BadRequest, match="too long"):
        client.create_tweet(text="!" + at_limit, user_auth=False)

    # metrics, public and (young posts, author) non-public
    sandbox.control.advance(2 * 86400)
    with pytest.raises(tweepy.Unauthorized):  # 2-hour tokens
        client.get_me(user_auth=False)
    token = handler.refresh_token(
        "https://api.twitter.com/2/oauth2/token",
        refresh_token=token["refresh_token"],
        auth=handler.auth,
    )
    client = tweepy.Client(bearer_token=token["access_token"])
    client.session.mount("https://", _ToSandbox(base))
    tweets = client.get_tweets(
        [first["id"]], tweet_fields=["public_metrics", "non_public_metrics"], user_auth=False
    ).data
    assert tweets[0].public_metrics["like_count"] > 0
    assert tweets[0].non_public_metrics["impression_count"] > 0


def test_mastodon_py_lengths_at_the_instance_limit(sandbox):
    mastodon = pytest.importorskip("mastodon")
    base = sandbox.url("mastodon")
    client_id, secret = mastodon.Mastodon.create_app(
        "Chorus", api_base_url=base, redirect_uris=helpers.REDIRECT_URI, scopes=["read", "write"]
    )
    api = mastodon.Mastodon(client_id=client_id, client_secret=secret, api_base_url=base)
    url = api.auth_request_url(redirect_uris=helpers.REDIRECT_URI, scopes=["read", "write"])
    api.log_in(
        code=helpers.consent(url, handle="lena")["code"],
        redirect_uri=helpers.REDIRECT_URI,
        scopes=["read", "write"],
    )
    limit = api.instance().configuration.statuses.max_characters
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme
    assert api.status_post(family * limit).id
    with pytest.raises(mastodon.MastodonAPIError, match="character limit"):
        api.status_post(family * (limit + 1))
    link = "https://chorus.example/r/" + "x" * 200  # counts 23
    assert api.status_post("a" * (limit - 24) + " " + link).id


def test_atproto_sdk_lengths_and_duplicates(sandbox):
    atproto = pytest.importorskip("atproto")
    from atproto_client.exceptions import BadRequestError

    client = atproto.Client(base_url=sandbox.url("bluesky") + "/xrpc")
    client.login("gail.bsky.social", "abcd-efgh-ijkl-mnop")
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 18 bytes
    assert client.send_post("e\u0301" * 300).uri  # 300 graphemes, 900 bytes
    assert client.send_post(family * 166).uri  # 2,988 bytes
    with pytest.raises(BadRequestError):
        client.send_post(family * 167)  # 3,006 bytes: over maxLength
    with pytest.raises(BadRequestError):
        client.send_post("e\u0301" * 301)  # over maxGraphemes
    # Bluesky has no duplicate check: the same text twice is two posts
    one, two = client.send_post("Same words"), client.send_post("Same words")
    assert one.uri != two.uri
