"""The sandbox's fidelity bar: popular client libraries written for the real
networks work against it with only the base URL changed. Skipped when the
libraries are not installed (they are not project dependencies)."""

from __future__ import annotations

import pytest

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
