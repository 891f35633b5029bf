"""Every adapter against the sandbox over real HTTP: connect, profile,
publish, metrics that grow with the sandbox clock, comment texts, batches."""

from __future__ import annotations

import uuid

import pytest

from social.providers.base import (
    MetricsSnapshot,
    NotSupported,
    Permanent,
    ShareRequest,
    SocialProvider,
    TokenExpired,
)

from .conftest import connect

NETWORKS = ["linkedin", "x", "facebook", "mastodon", "bluesky"]
# What each network cannot tell us: always None, never 0.
UNREPORTED = {
    "linkedin": {"clicks"},
    "x": {"reach"},
    "facebook": set(),
    "mastodon": {"impressions", "reach", "clicks"},
    "bluesky": {"impressions", "reach", "clicks"},
}
BATCH = {"linkedin": 1, "x": 100, "facebook": 50, "mastodon": 1, "bluesky": 25}
COUNTERS = ("impressions", "reach", "reactions", "comments", "reposts", "clicks")


def metrics(provider, token, ids):
    """What the polling task does: on TokenExpired refresh once and retry once."""
    try:
        return provider.fetch_metrics(token, ids), token
    except TokenExpired:
        token = provider.refresh(token)
        return provider.fetch_metrics(token, ids), token


def _share(n: int = 0) -> ShareRequest:
    return ShareRequest(
        text=f"Our Q3 impact report is out #{n} {uuid.uuid4().hex[:6]}",
        link_url="https://chorus.example/r/abc123",
        idempotency_key=uuid.uuid4().hex,
        link_title="Q3 impact report",
    )


@pytest.mark.parametrize("key", NETWORKS)
def test_connect_publish_and_measure(sandbox, key):
    provider, token, profile = connect(sandbox, key, handle="alice.example")
    assert isinstance(provider, SocialProvider)
    assert provider.max_metrics_batch == BATCH[key]
    assert profile.external_id and profile.followers is not None and profile.followers > 0
    # followers are a pure function of the handle
    assert connect(sandbox, key, handle="alice.example")[2].followers == profile.followers

    result = provider.publish(token, _share())
    assert result.external_id and result.url.startswith(("https://", sandbox.base_url))
    published = sandbox.control.posts(key)
    assert [p["id"] for p in published] == [result.external_id]
    assert published[0]["text"].startswith("Our Q3 impact report")
    assert published[0]["link"] == "https://chorus.example/r/abc123"

    fresh = provider.fetch_metrics(token, [result.external_id])
    assert len(fresh) == 1 and fresh[0].external_id == result.external_id
    for name in UNREPORTED[key]:
        assert getattr(fresh[0], name) is None, name

    sandbox.control.advance(2 * 86400)
    (later,), token = metrics(provider, token, [result.external_id])
    (again,), token = metrics(provider, token, [result.external_id])
    assert later == again  # same age, same numbers
    for name in COUNTERS:
        before, after = getattr(fresh[0], name), getattr(later, name)
        if name in UNREPORTED[key]:
            assert after is None
        else:
            assert after is not None and after >= (before or 0), name
    assert (later.reactions or 0) > (fresh[0].reactions or 0)
    assert later.comments and later.comments > 0
    if key not in ("x", "linkedin"):  # X: paid search API; LinkedIn: needs r_member_social
        assert later.comment_texts and all(isinstance(t, str) and t for t in later.comment_texts)
        assert len(later.comment_texts) == min(later.comments, 25 if key == "facebook" else 50)
    else:
        assert later.comment_texts is None


@pytest.mark.parametrize("key", ["x", "facebook", "bluesky"])
def test_batches_up_to_the_network_limit(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    ids = [provider.publish(token, _share(i)).external_id for i in range(3)]
    sandbox.control.advance(86400)
    snaps, token = metrics(provider, token, ids)
    assert [s.external_id for s in snaps] == ids
    assert all(isinstance(s, MetricsSnapshot) for s in snaps)
    with pytest.raises(Permanent):
        provider.fetch_metrics(token, ids * (provider.max_metrics_batch // 3 + 1))


@pytest.mark.parametrize("key", ["x", "facebook", "bluesky", "mastodon"])
def test_deleted_or_unknown_posts_are_left_out(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    real = provider.publish(token, _share()).external_id
    ghost = {
        "x": "1799999999999999999",
        "facebook": real.split("_")[0] + "_1",
        "bluesky": real.rsplit("/", 1)[0] + "/3kzzzzzzzzzzz",
        "mastodon": "1",
    }[key]
    ids = [ghost] if key == "mastodon" else [real, ghost]
    snaps = provider.fetch_metrics(token, ids)
    assert [s.external_id for s in snaps] == ([] if key == "mastodon" else [real])


def test_x_falls_back_to_public_metrics_after_30_days(sandbox):
    provider, token, _ = connect(sandbox, "x")
    post_id = provider.publish(token, _share()).external_id
    sandbox.control.advance(3600)
    young = provider.fetch_metrics(token, [post_id])[0]
    assert young.clicks is not None  # non-public metrics while under 30 days
    sandbox.control.advance(31 * 86400)
    token = provider.refresh(token)  # 2 h tokens: a month later we must refresh
    old = provider.fetch_metrics(token, [post_id])[0]
    assert (
        old.clicks is None and old.impressions is not None and old.impressions >= young.impressions
    )


def test_x_without_offline_access_gets_no_refresh_token(sandbox):
    _, token, _ = connect(sandbox, "x", scopes=("tweet.read", "users.read", "tweet.write"))
    assert token.refresh_token is None
    assert token.expires_at is not None


def test_x_refresh_tokens_rotate(sandbox):
    provider, token, _ = connect(sandbox, "x")
    newer = provider.refresh(token)
    assert newer.refresh_token != token.refresh_token and newer.access_token != token.access_token
    from social.providers.base import ReauthRequired

    with pytest.raises(ReauthRequired):
        provider.refresh(token)  # the old refresh token was used up


def test_linkedin_analytics_need_their_scope(sandbox):
    provider, token, profile = connect(
        sandbox, "linkedin", scopes=("openid", "profile", "w_member_social")
    )
    assert profile.followers is None  # no r_member_profileAnalytics: unknown, not zero
    urn = provider.publish(token, _share()).external_id
    assert urn.startswith("urn:li:share:")
    with pytest.raises(NotSupported, match="r_member_postAnalytics"):
        provider.fetch_metrics(token, [urn])


def test_linkedin_comment_texts_with_r_member_social(sandbox):
    from social.providers.linkedin import ANALYTICS_SCOPES, DEFAULT_SCOPES

    provider, token, _ = connect(
        sandbox, "linkedin", scopes=(*DEFAULT_SCOPES, *ANALYTICS_SCOPES, "r_member_social")
    )
    urn = provider.publish(
        token, ShareRequest(text="Hiring (again)! #team_growth", link_url=None)
    ).external_id
    assert sandbox.control.posts("linkedin")[0]["text"] == "Hiring (again)! #team_growth"
    sandbox.control.advance(3 * 86400)
    snap = provider.fetch_metrics(token, [urn])[0]
    assert snap.comment_texts and len(snap.comment_texts) == snap.comments


def test_facebook_insights_refresh_daily(sandbox):
    provider, token, _ = connect(sandbox, "facebook")
    post_id = provider.publish(token, _share()).external_id
    sandbox.control.advance(6 * 3600)
    same_day = provider.fetch_metrics(token, [post_id])[0]
    assert same_day.impressions == 0 and same_day.reactions and same_day.reactions > 0
    sandbox.control.advance(20 * 3600)
    next_day = provider.fetch_metrics(token, [post_id])[0]
    assert next_day.impressions and next_day.reach and next_day.clicks is not None


def test_mastodon_idempotency_key_returns_the_same_status(sandbox):
    provider, token, _ = connect(sandbox, "mastodon")
    share = _share()
    first = provider.publish(token, share)
    second = provider.publish(token, share)
    assert first == second
    assert len(sandbox.control.posts("mastodon")) == 1
    third = provider.publish(
        token, ShareRequest(text=share.text, link_url=share.link_url, idempotency_key="other")
    )
    assert third.external_id != first.external_id


def test_bluesky_post_has_link_facet_and_card(sandbox):
    provider, token, profile = connect(sandbox, "bluesky", handle="carol")
    assert profile.handle == "carol.bsky.social" and profile.external_id.startswith("did:plc:")
    uri = provider.publish(
        token,
        ShareRequest(
            text="Née à Jakarta", link_url="https://chorus.example/r/x1", link_title="Story"
        ),
    ).external_id
    record = sandbox.app.state.get_post("bluesky", uri).extra["record"]
    facet = record["facets"][0]["index"]
    assert (
        record["text"].encode()[facet["byteStart"] : facet["byteEnd"]]
        == b"https://chorus.example/r/x1"
    )
    assert record["embed"]["external"] == {
        "uri": "https://chorus.example/r/x1",
        "title": "Story",
        "description": "",
    }


def test_bluesky_has_no_oauth_redirect(sandbox):
    from social.providers.registry import get_provider, sandbox_config

    provider = get_provider("bluesky", sandbox_config("bluesky", sandbox.base_url))
    with pytest.raises(NotSupported):
        provider.start_auth("http://127.0.0.1/cb")
