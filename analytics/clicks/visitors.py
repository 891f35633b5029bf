"""Who clicked, without knowing who: a salted daily hash of IP + user agent.

The salt is random per UTC day and kept in Redis for two days only, so once
it is gone nobody (us included) can tell whether two days' clicks came from
the same person, and a raw IP is never stored anywhere. Without Redis the
salt is derived from SECRET_KEY and the day (one machine, no coordination).

Behind a reverse proxy the client's address is in X-Forwarded-For; set
`CHORUS_TRUSTED_PROXIES` to the number of proxies in front of Chorus so the
right entry is used (0, the default, trusts no header).
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.crypto import salted_hmac

from analytics.clicks.stream import HotPathUnavailable, hot_call, hot_client

SALT_TTL = 2 * 86400
_salts: dict[str, bytes] = {}


def _daily_salt(day: str) -> bytes:
    salt = _salts.get(day)
    if salt is not None:
        return salt
    if hot_client() is not None:
        key = f"chorus:visitor-salt:{day}"
        try:
            hot_call("set", key, secrets.token_hex(32), nx=True, ex=SALT_TTL)
            salt = hot_call("get", key)
        except HotPathUnavailable:
            # Redis is down: a salt derived from the secret key keeps hashing going; it is
            # not remembered, so processes agree again as soon as Redis answers.
            return salted_hmac("chorus.analytics.visitor-salt", day).digest()
    if salt is None:
        salt = salted_hmac("chorus.analytics.visitor-salt", day).digest()
    _salts.clear()  # only today's salt stays in memory
    _salts[day] = salt
    return salt


def client_ip(environ) -> str:
    trusted = int(getattr(settings, "CHORUS_TRUSTED_PROXIES", 0) or 0)
    if trusted > 0:
        hops = [
            hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
        ]
        if len(hops) >= trusted:
            return hops[-trusted]
    return environ.get("REMOTE_ADDR", "")


def visitor_hash(*, ip: str, user_agent: str, day: str) -> str:
    key = _daily_salt(day)[:64]
    return hashlib.blake2b(f"{ip}\n{user_agent}".encode(), key=key, digest_size=16).hexdigest()


def clean_referer(referer: str) -> str:
    """Where the click came from, without its query string (which can carry personal data)."""
    if not referer:
        return ""
    try:
        parts = urlsplit(referer)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https"):
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:500]


@lru_cache(maxsize=1)
def _geoip_reader():
    path = getattr(settings, "GEOIP_COUNTRY_DATABASE", "")
    if not path:
        return None
    try:
        import geoip2.database  # optional: only when a GeoIP database is configured
    except ImportError:
        return None
    return geoip2.database.Reader(path)


def country_of(ip: str) -> str:
    """ISO country code of an address when a GeoIP database is configured, else ''."""
    reader = _geoip_reader()
    if reader is None or not ip:
        return ""
    try:
        return (reader.country(ip).country.iso_code or "")[:2]
    except Exception:  # unknown or private address
        return ""
