"""The production guard for the social networks, and the system check that
reports each network as configured, off or misconfigured.

In production (``settings.PRODUCTION``):

- a network without credentials is off (`social.conf.is_enabled`);
- a base URL on loopback, on the sandbox's address, or over plain http stops
  startup (`enforce`, called from the app's ``ready``);
- no default Mastodon instance is offered;
- ``OAUTHLIB_INSECURE_TRANSPORT`` must not be set.

The check also warns ahead of the Graph and LinkedIn API versions' retirement.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from social import conf
from social.providers.facebook import DEFAULT_GRAPH_VERSION, GRAPH_VERSION_EXPIRY

CONFIGURED, OFF, MISCONFIGURED, SANDBOX = "configured", "off", "misconfigured", "sandbox"
# Networks whose app must authenticate with a secret at the token endpoint.
_NEEDS_SECRET = {"linkedin", "facebook"}
_NEEDS_CLIENT_ID = {"linkedin", "facebook", "x"}
VERSION_WARNING_DAYS = 90
LINKEDIN_VERSION_MONTHS = 12  # LinkedIn serves a dated version for one year


@dataclass(frozen=True)
class NetworkState:
    key: str
    state: str
    detail: str


def _env_prefix(key: str) -> str:
    return f"SOCIAL_{key.upper()}_"


def _url_problem(url: str) -> str | None:
    """Why a base URL cannot be a real network's, or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    sandbox = urlsplit(getattr(settings, "SANDBOX_URL", "") or "")
    if not host:
        return f"{url!r} has no host"
    if host == "localhost" or host.endswith(".localhost"):
        return f"{url} is on loopback (the sandbox?)"
    try:
        if ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_private:
            return f"{url} is on a loopback or private address (the sandbox?)"
    except ValueError:
        pass
    if sandbox.hostname and host == sandbox.hostname.lower() and parts.port == sandbox.port:
        return f"{url} is the sandbox (SANDBOX_URL)"
    if parts.scheme != "https":
        return f"{url} is not https"
    return None


def network_states() -> list[NetworkState]:
    """Every network's state as the running settings make it."""
    raw_all = getattr(settings, "SOCIAL_PROVIDERS", None) or {}
    production = conf.is_production()
    out = []
    for key in conf.NETWORKS:
        raw = raw_all.get(key) or {}
        prefix = _env_prefix(key)
        if key == "mastodon":
            if production and raw:
                out.append(
                    NetworkState(
                        key,
                        MISCONFIGURED,
                        "SOCIAL_MASTODON_DEFAULT_INSTANCE is set: production offers no default "
                        "instance, people type their own server",
                    )
                )
            else:
                out.append(
                    NetworkState(key, CONFIGURED, "Chorus registers itself on each instance")
                )
            continue
        if not raw:
            if production:
                what = (
                    f"{prefix}API_URL"
                    if key == "bluesky"
                    else f"{prefix}CLIENT_ID and {prefix}CLIENT_SECRET"
                )
                out.append(NetworkState(key, OFF, f"not offered: set {what} to turn it on"))
            else:
                out.append(NetworkState(key, SANDBOX, f"the sandbox at {settings.SANDBOX_URL}"))
            continue
        problems = []
        if key in _NEEDS_CLIENT_ID and not raw.get("client_id"):
            problems.append(f"{prefix}CLIENT_ID is empty")
        if key in _NEEDS_SECRET and not raw.get("client_secret"):
            problems.append(f"{prefix}CLIENT_SECRET is empty")
        if production:
            for name in ("auth_base_url", "api_base_url"):
                problem = _url_problem(str(raw.get(name) or raw.get("api_base_url") or ""))
                if problem:
                    problems.append(problem)
        if problems:
            out.append(NetworkState(key, MISCONFIGURED, "; ".join(dict.fromkeys(problems))))
        else:
            out.append(NetworkState(key, CONFIGURED, str(raw.get("api_base_url", ""))))
    return out


def startup_problems() -> list[str]:
    """What must stop a production start."""
    if not conf.is_production():
        return []
    problems = [f"{s.key}: {s.detail}" for s in network_states() if s.state == MISCONFIGURED]
    if os.environ.get("OAUTHLIB_INSECURE_TRANSPORT"):
        problems.append(
            "OAUTHLIB_INSECURE_TRANSPORT is set: OAuth over plain http is never allowed"
        )
    return problems


def enforce() -> None:
    problems = startup_problems()
    if problems:
        raise ImproperlyConfigured(
            "Social network settings are not fit for production:\n- "
            + "\n- ".join(problems)
            + "\nSee docs/networks.md."
        )


def version_messages(now: datetime | None = None) -> list[checks.CheckMessage]:
    """Warnings ahead of the Graph and LinkedIn API versions' retirement."""
    now = now or datetime.now(tz=UTC)
    out: list[checks.CheckMessage] = []
    graph = getattr(settings, "FACEBOOK_GRAPH_VERSION", "") or DEFAULT_GRAPH_VERSION
    expires = GRAPH_VERSION_EXPIRY.get(graph)
    if expires is None or expires <= now:
        out.append(
            checks.Error(
                f"Graph API {graph} is not served (Meta answers with the oldest version instead)",
                hint="Set FACEBOOK_GRAPH_VERSION to a current version.",
                id="social.E002",
            )
        )
    elif expires - now <= timedelta(days=VERSION_WARNING_DAYS):
        out.append(
            checks.Warning(
                f"Graph API {graph} is retired on {expires:%Y-%m-%d}",
                hint="Test and set a newer FACEBOOK_GRAPH_VERSION before then.",
                id="social.W002",
            )
        )
    version = getattr(settings, "LINKEDIN_API_VERSION", "")
    if version and len(version) == 6 and version.isdigit():
        age = (now.year - int(version[:4])) * 12 + now.month - int(version[4:])
        if age >= LINKEDIN_VERSION_MONTHS:
            out.append(
                checks.Error(
                    f"LinkedIn API version {version} is retired (LinkedIn answers 426)",
                    hint="Set LINKEDIN_API_VERSION to a version from the last 12 months.",
                    id="social.E003",
                )
            )
        elif age >= LINKEDIN_VERSION_MONTHS - 2:
            out.append(
                checks.Warning(
                    f"LinkedIn API version {version} is retired within two months",
                    hint="Test and set a newer LINKEDIN_API_VERSION.",
                    id="social.W003",
                )
            )
    elif version:
        out.append(
            checks.Error(
                f"LINKEDIN_API_VERSION={version!r} is not YYYYMM",
                id="social.E003",
            )
        )
    return out


@checks.register("social")
def check_networks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """One line per network: configured or off (Info: leaving a network off is
    the operator's choice), misconfigured (Error: startup also stops)."""
    out: list[checks.CheckMessage] = []
    for s in network_states():
        text = f"{s.key}: {s.state} ({s.detail})"
        if s.state == MISCONFIGURED:
            out.append(checks.Error(text, hint="See docs/networks.md.", id="social.E001"))
        elif s.state == OFF:
            out.append(checks.Info(text, hint="See docs/networks.md.", id="social.I002"))
        else:
            out.append(checks.Info(text, id="social.I001"))
    if conf.is_production() and os.environ.get("OAUTHLIB_INSECURE_TRANSPORT"):
        out.append(
            checks.Error(
                "OAUTHLIB_INSECURE_TRANSPORT is set: OAuth over plain http is never allowed",
                id="social.E004",
            )
        )
    return out + version_messages()
