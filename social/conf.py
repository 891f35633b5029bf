"""Where each network lives and with which app credentials.

`settings.SOCIAL_PROVIDERS` (filled from the environment in production) holds,
per network key, ``client_id``, ``client_secret``, ``auth_base_url``,
``api_base_url``, ``scopes`` and ``extra``. In development a network that is
not configured points at the local sandbox (`settings.SANDBOX_URL`) with the
sandbox's client ids, so development needs no account anywhere. In
production it is off: not offered, and connecting refuses (see
`social.production` for the guard and the system check).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings

from social.providers import linkedin
from social.providers.base import NotSupported, ProviderConfig, SocialProvider
from social.providers.registry import PROVIDERS, config_from_settings, get_provider, sandbox_config

NETWORKS = tuple(PROVIDERS)
LINKEDIN_SANDBOX_PARTNER = "chorus-linkedin-partner"  # social/sandbox/rules.py
DEFAULT_TIMEOUT = 15.0


def _common_extra(key: str) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "timeout": float(getattr(settings, "SOCIAL_HTTP_TIMEOUT", DEFAULT_TIMEOUT))
    }
    if key == "linkedin" and getattr(settings, "LINKEDIN_API_VERSION", ""):
        extra["api_version"] = settings.LINKEDIN_API_VERSION
    if key == "facebook" and getattr(settings, "FACEBOOK_GRAPH_VERSION", ""):
        extra["graph_version"] = settings.FACEBOOK_GRAPH_VERSION
    # oauthlib's plain-http escape hatch is for the sandbox in development only.
    extra["allow_insecure_transport"] = not is_production()
    return extra


def is_production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


def is_configured(key: str) -> bool:
    """Credentials (or, for Bluesky and Mastodon, a server) were given for the network."""
    if key == "mastodon":
        return True  # Chorus registers itself on each instance a person names
    return bool((getattr(settings, "SOCIAL_PROVIDERS", None) or {}).get(key))


def is_enabled(key: str) -> bool:
    """Offered to people: always in development (the sandbox), only when
    configured in production."""
    return key in PROVIDERS and (not is_production() or is_configured(key))


def enabled_networks() -> tuple[str, ...]:
    return tuple(key for key in NETWORKS if is_enabled(key))


def provider_config(key: str) -> ProviderConfig:
    """The configuration of one network: from settings, else the sandbox."""
    if key not in PROVIDERS:
        raise KeyError(f"unknown social network {key!r}")
    raw = (getattr(settings, "SOCIAL_PROVIDERS", None) or {}).get(key)
    if not is_enabled(key):
        raise NotSupported(
            f"{key} is not set up on this Chorus server (no credentials configured)",
            network=key,
            code="network_off",
        )
    if raw:
        config = config_from_settings(key, raw)
        extra = {**_common_extra(key), **config.extra}
        config = ProviderConfig(**{**config.__dict__, "extra": extra})
        if key == "linkedin" and linkedin_analytics() and not raw.get("scopes"):
            config = replace(config, scopes=config.scopes + linkedin.ANALYTICS_SCOPES)
        return config
    config = sandbox_config(key, settings.SANDBOX_URL, extra=_common_extra(key))
    if key == "linkedin" and linkedin_analytics():
        # The sandbox grants the analytics scopes to its partner client only,
        # as LinkedIn does to apps approved for the Community Management API.
        config = replace(
            config,
            client_id=LINKEDIN_SANDBOX_PARTNER,
            client_secret=f"{LINKEDIN_SANDBOX_PARTNER}-secret",
            scopes=config.scopes + linkedin.ANALYTICS_SCOPES,
        )
    return config


def linkedin_analytics() -> bool:
    """Ask LinkedIn for member post analytics (opt-in: needs the vetted
    Community Management API; without it consent fails for everyone)."""
    return bool(getattr(settings, "SOCIAL_LINKEDIN_ANALYTICS", False))


def provider(key: str) -> SocialProvider:
    return get_provider(key, provider_config(key))


def mastodon_provider(*, instance_url: str, client_id: str, client_secret: str) -> SocialProvider:
    """Every Mastodon instance is its own network with its own app credentials."""
    base = provider_config("mastodon")
    config = ProviderConfig(
        key="mastodon",
        client_id=client_id,
        client_secret=client_secret,
        auth_base_url=instance_url,
        api_base_url=instance_url,
        scopes=base.scopes,
        extra=base.extra,
    )
    return get_provider("mastodon", config)


def default_mastodon_instance() -> str:
    """What the instance field starts with: the sandbox in development, nothing
    in production (people type their own server)."""
    if is_production():
        return ""
    return provider_config("mastodon").api_base_url.rstrip("/")


def uses_oauth_redirect(key: str) -> bool:
    return key not in ("bluesky", "mastodon")
