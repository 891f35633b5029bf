"""The live APIs' rules (social/sandbox/rules.py names each source), enforced
by the sandbox and honoured by the adapters: removed Facebook metrics,
LinkedIn's per-app scopes and partner-only refresh tokens, X's daily caps and
plans without reads, LinkedIn's token host. Each failure says which rule and
does not invite a retry loop."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from social.providers import linkedin
from social.providers.base import NotSupported, RateLimited, ReauthRequired, ShareRequest
from social.providers.registry import get_provider, sandbox_config
from social.providers.x import PLAN_WITHOUT_READS

from .conftest import REDIRECT_URI, connect, consent


def _post(text: str = "Rules") -> ShareRequest:
    return ShareRequest(text=f"{text} {uuid.uuid4().hex[:8]}")


# -- Facebook --------------------------------------------------------------------------


def test_facebook_removed_metric_fails_the_whole_batch_with_100(sandbox):
    provider, token, _ = connect(sandbox, "facebook")
    post = provider.publish(token, _post()).external_id
    page = token.access_token
    resp = requests.get(
        f"{sandbox.url('facebook')}/v25.0/",
        params={
            "ids": post,
            "fields": "id,shares,insights.metric(post_impressions,post_clicks)",
            "access_token": page,
        },
        timeout=10,
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 100
    assert "post_impressions" in resp.json()["error"]["message"]


def test_facebook_reads_the_current_metric_names(sandbox):
    provider, token, _ = connect(sandbox, "facebook")
    post = provider.publish(token, _post()).external_id
    sandbox.control.advance(3 * 86400)
    [snap] = provider.fetch_metrics(token, [post])
    assert snap.impressions is not None and snap.reach is not None  # post_media_view & co


def test_facebook_insights_error_degrades_to_no_impressions(sandbox):
    """(#100) on the batch: ask again without insights; the rest still arrives."""
    provider, token, _ = connect(sandbox, "facebook")
    post = provider.publish(token, _post()).external_id
    sandbox.control.advance(3 * 86400)
    sandbox.control.fault("facebook", status=400, count=1)
    [snap] = provider.fetch_metrics(token, [post])
    assert snap.impressions is None and snap.reach is None and snap.clicks is None
    assert snap.reactions is not None and snap.comments is not None and snap.reposts is not None


# -- LinkedIn ----------------------------------------------------------------------------


def test_linkedin_default_scopes_are_the_self_serve_ones():
    assert linkedin.DEFAULT_SCOPES == ("openid", "profile", "w_member_social")


def test_linkedin_refuses_analytics_scopes_to_an_app_without_the_product(sandbox):
    provider = get_provider(
        "linkedin",
        sandbox_config(
            "linkedin",
            sandbox.base_url,
            scopes=linkedin.DEFAULT_SCOPES + linkedin.ANALYTICS_SCOPES,
        ),
    )
    start = provider.start_auth(REDIRECT_URI)
    resp = requests.get(start.url, allow_redirects=False, timeout=10)
    assert resp.status_code == 302
    assert "error=unauthorized_scope_error" in resp.headers["Location"]
    assert "r_member_postAnalytics" in requests.utils.unquote(resp.headers["Location"])


def test_linkedin_self_serve_app_connects_without_refresh_and_without_analytics(sandbox):
    provider = get_provider("linkedin", sandbox_config("linkedin", sandbox.base_url))
    start = provider.start_auth(REDIRECT_URI)
    back = consent(start.url, handle="self.serve")
    token, profile = provider.finish_auth(back["code"], start.code_verifier, REDIRECT_URI)
    assert token.refresh_token is None  # programmatic refresh is for partners only
    assert token.expires_at is not None
    assert token.expires_at - datetime.now(tz=UTC) > timedelta(days=59)
    assert profile.followers is None  # not available, never 0
    provider.publish(token, _post())  # w_member_social is enough to share
    with pytest.raises(NotSupported, match="r_member_postAnalytics"):
        provider.fetch_metrics(token, ["urn:li:share:1"])
    with pytest.raises(ReauthRequired, match="no refresh token"):
        provider.refresh(token)


def test_linkedin_partner_app_gets_refresh_tokens_and_analytics(sandbox):
    provider, token, profile = connect(sandbox, "linkedin")
    assert token.refresh_token
    assert profile.followers is not None
    urn = provider.publish(token, _post()).external_id
    assert provider.fetch_metrics(token, [urn])[0].impressions is not None


def test_linkedin_token_endpoints_live_on_the_consent_host():
    """learn.microsoft.com: POST https://www.linkedin.com/oauth/v2/accessToken."""
    from social.providers.base import ProviderConfig

    provider = get_provider(
        "linkedin",
        ProviderConfig(
            key="linkedin",
            client_id="id",
            client_secret="secret",
            auth_base_url="https://www.linkedin.com",
            api_base_url="https://api.linkedin.com",
        ),
    )
    assert provider.token_url() == "https://www.linkedin.com/oauth/v2/accessToken"
    assert provider.api_url("/rest/posts") == "https://api.linkedin.com/rest/posts"


# -- X -----------------------------------------------------------------------------------


def test_x_daily_cap_waits_for_the_24_hour_reset_not_15_minutes(sandbox):
    # The sandbox's 24-hour caps end at UTC midnight: the run happens at 09:00 UTC of the
    # sandbox's day, so the reset is hours away whenever the suite runs (a run at 23:50
    # would otherwise see it 10 minutes away).
    day = int(sandbox.control.clock() // 86400) * 86400
    sandbox.control.set_clock(datetime.fromtimestamp(day + 9 * 3600, tz=UTC).isoformat())
    sandbox.control.policy(x_user_daily_posts=2)
    provider, token, _ = connect(sandbox, "x")
    provider.publish(token, _post("one"))
    provider.publish(token, _post("two"))
    with pytest.raises(RateLimited) as err:
        provider.publish(token, _post("three"))
    now = datetime.fromtimestamp(sandbox.control.clock(), tz=UTC)
    assert err.value.retry_at - now > timedelta(minutes=15)
    assert err.value.retry_at - now <= timedelta(hours=24)
    assert len(sandbox.control.posts("x")) == 2


def test_x_daily_headers_are_read(sandbox):
    sandbox.control.policy(x_app_daily_posts=5)
    provider, token, _ = connect(sandbox, "x")
    seen = []
    provider.response_observers.append(seen.append)
    provider.publish(token, _post())
    resp = seen[-1]
    assert resp.headers["x-app-limit-24hour-remaining"] == "4"
    assert "x-user-limit-24hour-reset" in resp.headers
    info = provider.rate_limit_from_headers(resp)
    assert info is not None


def test_x_plan_without_reads_makes_metrics_unavailable_not_failing(sandbox):
    sandbox.control.policy(x_clients_without_reads=["chorus-x"])
    provider, token, _ = connect(sandbox, "x")
    post = provider.publish(token, _post()).external_id  # writes still work
    with pytest.raises(NotSupported) as err:
        provider.fetch_metrics(token, [post])
    assert err.value.code == PLAN_WITHOUT_READS
    assert "plan" in err.value.message


# -- Bluesky -----------------------------------------------------------------------------


def test_bluesky_account_on_another_server_signs_in_and_posts_there(sandbox):
    """The DID document names the account's PDS; bsky.social would refuse it."""
    provider, token, profile = connect(sandbox, "bluesky", handle="dana.pds2.test")
    assert token.extra["pds"] == f"{sandbox.base_url}/bluesky-pds2"
    assert profile.external_id.startswith("did:plc:")
    post = provider.publish(token, _post("From my own server"))
    assert [p["id"] for p in sandbox.control.posts("bluesky")] == [post.external_id]
    assert provider.fetch_metrics(token, [post.external_id])[0].reactions is not None
    # the main server does not know this account, and does not take its token
    entry = requests.post(
        f"{sandbox.url('bluesky')}/xrpc/com.atproto.server.createSession",
        json={"identifier": "dana.pds2.test", "password": "abcd-efgh-ijkl-mnop"},
        timeout=10,
    )
    assert entry.status_code == 401
    foreign = requests.get(
        f"{sandbox.url('bluesky')}/xrpc/com.atproto.server.getSession",
        headers={"Authorization": f"Bearer {token.access_token}"},
        timeout=10,
    )
    assert foreign.status_code == 401
    # a session refreshed keeps its server
    assert provider.refresh(token).extra["pds"] == token.extra["pds"]


def test_bluesky_account_on_bsky_social_stays_there(sandbox):
    _, token, _ = connect(sandbox, "bluesky", handle="erin.bsky.social")
    assert token.extra["pds"] == sandbox.url("bluesky")


def test_bluesky_unknown_handle_says_so_without_retrying(sandbox):
    provider = get_provider("bluesky", sandbox_config("bluesky", sandbox.base_url))
    with pytest.raises(ReauthRequired, match="could not find the handle"):
        provider.login("unknown.example", "abcd-efgh-ijkl-mnop")


# -- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["bluesky", "mastodon"])
def test_post_language_is_the_contents_not_always_english(sandbox, key):
    provider, token, _ = connect(sandbox, key, handle=f"lang-{uuid.uuid4().hex[:6]}")
    provider.publish(token, ShareRequest(text="Laporan kami sudah terbit", language="id"))
    provider.publish(token, ShareRequest(text="No language given"))
    first, second = sandbox.control.posts(key)
    if key == "bluesky":
        assert first["extra"]["record"]["langs"] == ["id"]
        assert "langs" not in second["extra"]["record"]  # unknown: say nothing, not "en"
    else:
        assert first["extra"]["language"] == "id"
