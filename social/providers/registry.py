"""Build a provider from its key and configuration.

The Django side keeps one ``ProviderConfig`` per network, read from the
``SOCIAL_PROVIDERS`` setting; tests and the sandbox build them directly."""

from __future__ import annotations

from typing import Any

from .base import ProviderConfig, SocialProvider
from .bluesky import BlueskyProvider
from .common import BaseProvider
from .facebook import FacebookProvider
from .linkedin import LinkedInProvider
from .mastodon import MastodonProvider
from .x import XProvider

PROVIDERS: dict[str, type[BaseProvider]] = {
    "linkedin": LinkedInProvider,
    "x": XProvider,
    "facebook": FacebookProvider,
    "mastodon": MastodonProvider,
    "bluesky": BlueskyProvider,
}


def get_provider(key: str, config: ProviderConfig) -> SocialProvider:
    try:
        cls = PROVIDERS[key]
    except KeyError:
        raise KeyError(f"unknown social network {key!r}; known: {sorted(PROVIDERS)}") from None
    if config.key != key:
        raise ValueError(f"config for {config.key!r} given to the {key!r} provider")
    return cls(config)  # type: ignore[return-value]


def config_from_settings(key: str, raw: dict[str, Any]) -> ProviderConfig:
    """One entry of ``SOCIAL_PROVIDERS`` (see docs in the report) to a config."""
    return ProviderConfig(
        key=key,
        client_id=str(raw.get("client_id", "")),
        client_secret=str(raw.get("client_secret", "")),
        auth_base_url=str(raw.get("auth_base_url", "")),
        api_base_url=str(raw["api_base_url"]),
        scopes=tuple(raw.get("scopes") or _default_scopes(key)),
        extra={"trusted_origins": _configured_origins(raw), **dict(raw.get("extra", {}))},
    )


def _configured_origins(raw: dict[str, Any]) -> tuple[str, ...]:
    """The servers the operator named: adapters whose other servers a person chooses
    (Mastodon, Bluesky) send to these without the outbound gate."""
    return tuple(str(url) for url in (raw.get("api_base_url"), raw.get("auth_base_url")) if url)


def _default_scopes(key: str) -> tuple[str, ...]:
    from . import facebook, linkedin, mastodon, x

    defaults = {
        "linkedin": linkedin.DEFAULT_SCOPES,
        "x": x.DEFAULT_SCOPES,
        "facebook": facebook.DEFAULT_SCOPES,
        "mastodon": mastodon.DEFAULT_SCOPES,
    }
    return tuple(defaults.get(key, ()))


def sandbox_config(key: str, base_url: str, **overrides: Any) -> ProviderConfig:
    """A config pointing ``key`` at the sandbox (``base_url`` without the prefix)."""
    from . import bluesky, facebook, linkedin, mastodon, x  # noqa: F401  (default scopes)

    scopes = {
        "linkedin": linkedin.DEFAULT_SCOPES,
        "x": x.DEFAULT_SCOPES,
        "facebook": facebook.DEFAULT_SCOPES,
        "mastodon": mastodon.DEFAULT_SCOPES,
        "bluesky": (),
    }[key]
    url = f"{base_url.rstrip('/')}/{key}"
    values: dict[str, Any] = {
        "key": key,
        "client_id": f"chorus-{key}",
        "client_secret": f"chorus-{key}-secret",
        "auth_base_url": url,
        "api_base_url": url,
        "scopes": tuple(scopes),
        "extra": {},
    }
    values.update(overrides)
    # The sandbox is the operator's own server: not behind the outbound gate.
    values["extra"] = {"trusted_origins": (base_url,), **values["extra"]}
    if key == "bluesky":  # the sandbox's PLC directory, for DID documents
        values["extra"] = {"plc_url": f"{url}/plc", **values["extra"]}
    return ProviderConfig(**values)
