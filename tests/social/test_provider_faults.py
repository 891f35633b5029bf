"""Failures, injected into the sandbox, come out of every adapter as the
right member of the error taxonomy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from social.providers.base import (
    Permanent,
    RateLimited,
    ReauthRequired,
    ShareRequest,
    TokenExpired,
    Transient,
)
from social.providers.registry import get_provider, sandbox_config

from .conftest import REDIRECT_URI, connect, consent

NETWORKS = ["linkedin", "x", "facebook", "mastodon", "bluesky"]
REFRESHABLE = ["linkedin", "x", "bluesky"]


def share() -> ShareRequest:
    return ShareRequest(
        text=f"Fault drill {uuid.uuid4().hex[:8]}", link_url="https://chorus.example/r/f"
    )


@pytest.mark.parametrize("key", REFRESHABLE)
def test_401_is_token_expired_and_refresh_recovers(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    sandbox.control.fault(key, status=401)
    with pytest.raises(TokenExpired):
        provider.publish(token, share())
    token = provider.refresh(token)
    assert provider.publish(token, share()).external_id


@pytest.mark.parametrize("key", ["facebook", "mastodon"])
def test_401_without_refresh_needs_reauth(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    sandbox.control.fault(key, status=401)
    with pytest.raises(ReauthRequired):
        provider.publish(token, share())
    with pytest.raises(ReauthRequired):
        provider.refresh(token)


@pytest.mark.parametrize("key", REFRESHABLE)
def test_expired_token_after_clock_moves_then_refresh(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    sandbox.control.token_lifetimes(key, access=60)
    token = provider.refresh(token)  # a 60 s token
    sandbox.control.advance(120)
    with pytest.raises(TokenExpired):
        provider.publish(token, share())
    assert provider.publish(provider.refresh(token), share()).external_id


@pytest.mark.parametrize("key", ["x", "linkedin"])
def test_revoked_access_ends_in_reauth(sandbox, key):
    provider, token, _ = connect(sandbox, key, handle="revoked.person")
    assert sandbox.control.revoke(handle="revoked.person", network=key) >= 2
    with pytest.raises((TokenExpired, ReauthRequired)):
        provider.publish(token, share())
    with pytest.raises(ReauthRequired):
        provider.refresh(token)


def _window_reset(sandbox, window: int) -> datetime:
    now = sandbox.control.clock()
    return datetime.fromtimestamp((int(now // window) + 1) * window, tz=UTC)


@pytest.mark.parametrize("key", NETWORKS)
def test_429_carries_retry_at_from_the_network_headers(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    window = {"linkedin": 86400}.get(key, 600)
    sandbox.control.limits(key, limit=1, window_seconds=window)
    with pytest.raises(RateLimited) as caught:
        for _ in range(3):
            provider.publish(token, share())
    err = caught.value
    assert err.bucket.startswith(f"{key}:")
    if key == "facebook":
        # X-Business-Use-Case-Usage says how many minutes until access is back
        now = datetime.fromtimestamp(sandbox.control.clock(), tz=UTC)
        assert now < err.retry_at <= _window_reset(sandbox, window) + timedelta(minutes=1)
    else:
        # x-rate-limit-reset, ratelimit-reset, ISO X-RateLimit-Reset, LinkedIn's UTC midnight
        assert abs((err.retry_at - _window_reset(sandbox, window)).total_seconds()) <= 1


@pytest.mark.parametrize("key", NETWORKS)
def test_rate_limit_headers_in_one_shape(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    seen = []
    provider.response_observers.append(seen.append)
    provider.publish(token, share())
    info = provider.rate_limit_from_headers(seen[-1])
    if key == "linkedin":
        assert info is None  # LinkedIn publishes no rate headers
    else:
        assert info is not None and info.bucket.startswith(f"{key}:")
        assert 0 <= info.remaining <= info.limit and info.reset_at > datetime.now(
            tz=UTC
        ) - timedelta(seconds=5)


@pytest.mark.parametrize("key", NETWORKS)
@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_transient(sandbox, key, status):
    provider, token, _ = connect(sandbox, key)
    sandbox.control.fault(key, status=status)
    with pytest.raises(Transient):
        provider.publish(token, share())
    assert provider.publish(token, share()).external_id  # the fault was used up


@pytest.mark.parametrize("key", NETWORKS)
def test_429_fault_is_rate_limited(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    sandbox.control.fault(key, status=429)
    with pytest.raises(RateLimited) as caught:
        provider.publish(token, share())
    assert caught.value.retry_at > datetime.now(tz=UTC) - timedelta(seconds=1)


@pytest.mark.parametrize("key", NETWORKS)
def test_malformed_json_is_transient_not_a_crash(sandbox, key):
    provider, token, _ = connect(sandbox, key)
    post_id = provider.publish(token, share()).external_id
    sandbox.control.fault(key, kind="malformed")
    with pytest.raises(Transient, match=r"malformed|JSON"):
        provider.fetch_metrics(token, [post_id])


@pytest.mark.parametrize("key", ["x", "mastodon"])
def test_timeouts_are_transient(sandbox, key):
    provider, token, _ = connect(sandbox, key, extra={"timeout": 0.3})
    sandbox.control.fault(key, kind="timeout", delay=1.5)
    with pytest.raises(Transient, match="timed out"):
        provider.publish(token, share())


def test_linkedin_426_is_permanent_with_a_clear_message(sandbox):
    provider, token, _ = connect(sandbox, "linkedin")
    sandbox.control.fault("linkedin", status=426)
    with pytest.raises(Permanent, match=r"retired API version .*api_version"):
        provider.publish(token, share())
    stale = get_provider(
        "linkedin", sandbox_config("linkedin", sandbox.base_url, extra={"api_version": "202001"})
    )
    with pytest.raises(Permanent, match="202001"):
        stale.publish(token, share())


def test_pkce_verifier_mismatch_is_rejected(sandbox):
    provider = get_provider("x", sandbox_config("x", sandbox.base_url))
    start = provider.start_auth(REDIRECT_URI)
    assert "code_challenge_method=S256" in start.url and start.code_verifier
    code = consent(start.url)["code"]
    with pytest.raises(Permanent, match="code_verifier"):
        provider.finish_auth(code, "not-the-verifier-" * 4, REDIRECT_URI)


def test_denied_consent_comes_back_as_access_denied(sandbox):
    for key in ("x", "linkedin", "facebook"):
        provider = get_provider(key, sandbox_config(key, sandbox.base_url))
        start = provider.start_auth(REDIRECT_URI)
        back = consent(start.url, decision="deny")
        assert (
            back["error"] == "access_denied" and back["state"] == start.state and "code" not in back
        )


def test_bluesky_wrong_app_password_needs_reauth(sandbox):
    provider = get_provider("bluesky", sandbox_config("bluesky", sandbox.base_url))
    with pytest.raises(ReauthRequired):
        provider.login("dave", "my-real-password")
