"""Where each network lives and with which app credentials.

`settings.SOCIAL_PROVIDERS` (filled from the environment in production) holds,
per network key, ``client_id``, ``client_secret``, ``auth_base_url``,
``api_base_url``, ``scopes`` and ``extra``. A network that is not configured
points at the local sandbox (`settings.SANDBOX_URL`) with the sandbox's client
ids, so development needs no account anywhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from social.providers.base import ProviderConfig, SocialProvider
from social.providers.registry import PROVIDERS, config_from_settings, get_provider, sandbox_config

NETWORKS = tuple(PROVIDERS)
DEFAULT_TIMEOUT = 15.0


def _common_extra(key: str) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "timeout": float(getattr(settings, "SOCIAL_HTTP_TIMEOUT", DEFAULT_TIMEOUT))
    }
    if key == "linkedin" and getattr(settings, "LINKEDIN_API_VERSION", ""):
        extra["api_version"] = settings.LINKEDIN_API_VERSION
    return extra


def provider_config(key: str) -> ProviderConfig:
    """The configuration of one network: from settings, else the sandbox."""
    if key not in PROVIDERS:
        raise KeyError(f"unknown social network {key!r}")
    raw = (getattr(settings, "SOCIAL_PROVIDERS", None) or {}).get(key)
    if raw:
        config = config_from_settings(key, raw)
        extra = {**_common_extra(key), **config.extra}
        return ProviderConfig(**{**config.__dict__, "extra": extra})
    return sandbox_config(key, settings.SANDBOX_URL, extra=_common_extra(key))


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
    """What the instance field starts with: the configured one (the sandbox in development)."""
    return provider_config("mastodon").api_base_url.rstrip("/")


def uses_oauth_redirect(key: str) -> bool:
    return key not in ("bluesky", "mastodon")
