"""The sandbox itself: control API, consent, codes, PKCE, clock-driven
engagement, rate windows and faults, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import itertools
import time

import requests

from social.sandbox.engagement import comments, engagement
from social.sandbox.testing import SandboxControl

from .conftest import REDIRECT_URI, consent


def _x_auth_url(sandbox, challenge: str, state: str = "st") -> str:
    return (
        requests.Request(
            "GET",
            sandbox.url("x") + "/i/oauth2/authorize",
            params={
                "response_type": "code",
                "client_id": "cid",
                "redirect_uri": REDIRECT_URI,
                "scope": "tweet.read users.read tweet.write offline.access",
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        .prepare()
        .url
    )


def _s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def _x_token(sandbox, code: str, verifier: str) -> requests.Response:
    return requests.post(
        sandbox.url("x") + "/2/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
            "client_id": "cid",
        },
        timeout=10,
    )


def test_control_needs_the_token(sandbox):
    assert requests.get(sandbox.base_url + "/_control/clock", timeout=5).status_code == 403
    wrong = SandboxControl(sandbox.base_url, token="nope")
    assert wrong.session.get(sandbox.base_url + "/_control/clock").status_code == 403
    assert requests.get(sandbox.base_url + "/_control/health", timeout=5).json() == {"ok": True}


def test_clock_moves_and_resets(sandbox):
    before = sandbox.control.clock()
    assert sandbox.control.advance(3600) - before >= 3600
    sandbox.control.set_clock("2030-01-01T00:00:00Z")
    assert abs(sandbox.control.clock() - 1893456000) < 5
    sandbox.control.reset()
    assert abs(sandbox.control.clock() - time.time()) < 5


def test_consent_page_denied_redirects_with_access_denied(sandbox):
    back = consent(_x_auth_url(sandbox, _s256("v" * 50)), decision="deny")
    assert back == {
        "error": "access_denied",
        "error_description": "The user denied the request",
        "state": "st",
    }


def test_codes_are_single_use_and_pkce_checked(sandbox):
    verifier = "correct-verifier-" * 4
    code = consent(_x_auth_url(sandbox, _s256(verifier)))["code"]
    wrong = _x_token(sandbox, code, "another-verifier-" * 4)
    assert wrong.status_code == 400 and "code_verifier" in wrong.json()["error_description"]
    # burnt by the failed attempt, as real servers do
    assert _x_token(sandbox, code, verifier).status_code == 400

    code = consent(_x_auth_url(sandbox, _s256(verifier)))["code"]
    ok = _x_token(sandbox, code, verifier)
    assert ok.status_code == 200 and ok.json()["expires_in"] == 7200
    assert _x_token(sandbox, code, verifier).status_code == 400


def test_x_requires_pkce(sandbox):
    url = sandbox.url("x") + "/i/oauth2/authorize"
    r = requests.get(
        url,
        params={"response_type": "code", "client_id": "c", "redirect_uri": REDIRECT_URI},
        timeout=5,
    )
    assert r.status_code == 400


def test_engagement_is_deterministic_and_grows():
    a = [engagement("x", "123", "alice", age) for age in (0, 600, 3600, 86400, 30 * 86400)]
    assert a == [engagement("x", "123", "alice", age) for age in (0, 600, 3600, 86400, 30 * 86400)]
    assert a[0].impressions == 0
    for earlier, later in itertools.pairwise(a):
        assert all(
            x <= y for x, y in zip(vars(earlier).values(), vars(later).values(), strict=True)
        )
    assert a[-1].impressions > a[2].impressions > 0
    texts = comments("x", "123", "alice", 0, 30 * 86400)
    assert len(texts) == a[-1].comments and texts == comments("x", "123", "alice", 0, 30 * 86400)


def test_windowed_limit_answers_429_in_network_style(sandbox):
    sandbox.control.limits("mastodon", limit=2, window_seconds=60)
    url = sandbox.url("mastodon") + "/api/v1/instance"
    assert requests.get(url, timeout=5).status_code == 200  # instance info is not metered
    status_url = sandbox.url("mastodon") + "/api/v1/statuses/1"
    codes = [requests.get(status_url, timeout=5) for _ in range(3)]
    assert [r.status_code for r in codes] == [404, 404, 429]
    assert codes[2].json() == {"error": "Too many requests"}
    assert codes[2].headers["X-RateLimit-Remaining"] == "0"
    assert codes[2].headers["X-RateLimit-Reset"].endswith("Z")


def test_faults_are_counted_and_path_scoped(sandbox):
    sandbox.control.fault("mastodon", status=503, path="/api/v1/instance", count=2)
    url = sandbox.url("mastodon") + "/api/v1/instance"
    other = sandbox.url("mastodon") + "/api/v2/instance"
    assert requests.get(other, timeout=5).status_code == 200
    assert [requests.get(url, timeout=5).status_code for _ in range(3)] == [503, 503, 200]
    sandbox.control.fault("mastodon", kind="malformed")
    r = requests.get(url, timeout=5)
    assert r.status_code == 200 and r.text.startswith('{"data"')


def test_unknown_network_and_route(sandbox):
    assert requests.get(sandbox.base_url + "/myspace/", timeout=5).status_code == 404
    r = requests.get(sandbox.url("x") + "/2/nothing", timeout=5)
    assert r.status_code == 404 and r.json()["title"] == "Not Found"


def test_linkedin_version_header_is_required_and_dated(sandbox):
    url = sandbox.url("linkedin") + "/rest/posts"
    missing = requests.post(url, json={}, timeout=5)
    assert missing.status_code == 400 and missing.json()["code"] == "VERSION_MISSING"
    old = requests.post(
        url,
        json={},
        headers={"LinkedIn-Version": "202001", "X-Restli-Protocol-Version": "2.0.0"},
        timeout=5,
    )
    assert old.status_code == 426 and old.json()["code"] == "NONEXISTENT_VERSION"
