"""Production guard: a network without credentials is off (not offered,
connecting refuses), loopback or sandbox URLs stop startup, no default
Mastodon instance, never insecure OAuth transport; and the system check's
report, as an operator reads it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from social import conf, production
from social.providers.base import NotSupported

REAL_X = {
    "client_id": "x-client",
    "client_secret": "x-secret",
    "auth_base_url": "https://x.com",
    "api_base_url": "https://api.x.com",
}


def _report() -> dict[str, tuple[str, str]]:
    return {
        m.msg.split(":")[0]: (m.id, m.msg)
        for m in production.check_networks()
        if m.id.startswith(("social.I", "social.E001"))
    }


@pytest.fixture
def in_production(settings, monkeypatch):
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    settings.PRODUCTION = True
    settings.SOCIAL_PROVIDERS = {}
    settings.SOCIAL_LINKEDIN_ANALYTICS = False
    return settings


def test_without_credentials_every_network_but_mastodon_is_off(in_production):
    report = _report()
    print("\n".join(msg for _, msg in report.values()))  # what `manage.py check` shows
    for key in ("linkedin", "x", "facebook", "bluesky"):
        assert report[key] == ("social.I002", report[key][1])
        assert f"{key}: off" in report[key][1]
    assert "mastodon: configured" in report["mastodon"][1]
    assert conf.enabled_networks() == ("mastodon",)
    assert production.startup_problems() == []
    with pytest.raises(NotSupported, match="not set up"):
        conf.provider("x")
    assert conf.default_mastodon_instance() == ""


def test_one_network_configured(in_production):
    in_production.SOCIAL_PROVIDERS = {"x": REAL_X}
    report = _report()
    print("\n".join(msg for _, msg in report.values()))
    assert report["x"][0] == "social.I001" and "x: configured (https://api.x.com)" in report["x"][1]
    assert "linkedin: off" in report["linkedin"][1]
    assert conf.enabled_networks() == ("x", "mastodon")
    provider = conf.provider("x")
    assert provider.config.extra["allow_insecure_transport"] is False
    assert provider.config.api_base_url == "https://api.x.com"


@pytest.mark.parametrize(
    "api_url",
    ["http://127.0.0.1:8765/x", "http://localhost:8765/x", "http://api.x.com", "https://10.0.0.5"],
)
def test_loopback_sandbox_or_plain_http_urls_stop_startup(in_production, api_url):
    in_production.SOCIAL_PROVIDERS = {"x": {**REAL_X, "api_base_url": api_url}}
    assert _report()["x"][0] == "social.E001"
    with pytest.raises(ImproperlyConfigured, match="not fit for production") as err:
        production.enforce()
    assert "x:" in str(err.value) and "docs/networks.md" in str(err.value)


def test_missing_secret_is_misconfigured(in_production):
    in_production.SOCIAL_PROVIDERS = {
        "linkedin": {
            "client_id": "li",
            "client_secret": "",
            "auth_base_url": "https://www.linkedin.com",
            "api_base_url": "https://api.linkedin.com",
        }
    }
    assert "SOCIAL_LINKEDIN_CLIENT_SECRET is empty" in _report()["linkedin"][1]


def test_a_default_mastodon_instance_is_refused(in_production):
    in_production.SOCIAL_PROVIDERS = {"mastodon": {"api_base_url": "https://mastodon.example"}}
    assert _report()["mastodon"][0] == "social.E001"
    with pytest.raises(ImproperlyConfigured, match="SOCIAL_MASTODON_DEFAULT_INSTANCE"):
        production.enforce()


def test_insecure_oauth_transport_stops_startup(in_production, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    with pytest.raises(ImproperlyConfigured, match="OAUTHLIB_INSECURE_TRANSPORT"):
        production.enforce()


def test_production_adapters_never_turn_on_insecure_transport(in_production, monkeypatch):
    """Even a loopback URL slipped past the check never sets the oauthlib escape hatch."""
    from social.providers.base import ProviderConfig
    from social.providers.registry import get_provider

    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    get_provider(
        "x",
        ProviderConfig(
            key="x",
            api_base_url="http://127.0.0.1:1/x",
            extra={"allow_insecure_transport": False},
        ),
    )
    import os

    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ


def test_development_points_unconfigured_networks_at_the_sandbox(settings):
    settings.PRODUCTION = False
    settings.SOCIAL_PROVIDERS = {}
    assert set(conf.enabled_networks()) == set(conf.NETWORKS)
    assert all(m.id.startswith("social.I") for m in production.check_networks())


def test_api_versions_warn_ahead_of_retirement(settings):
    from datetime import UTC, datetime

    settings.FACEBOOK_GRAPH_VERSION = "v21.0"
    settings.LINKEDIN_API_VERSION = "202602"
    now = datetime(2026, 12, 3, tzinfo=UTC)
    ids = {m.id: m.msg for m in production.version_messages(now)}
    assert "2027-01-21" in ids["social.W002"]  # v21.0 retires on 21 January 2027
    assert "202602" in ids["social.W003"]  # LinkedIn: 10 months old
    settings.LINKEDIN_API_VERSION = "202510"
    settings.FACEBOOK_GRAPH_VERSION = "v20.0"
    ids = {m.id: m.msg for m in production.version_messages(now)}
    assert "social.E003" in ids and "social.E002" in ids
