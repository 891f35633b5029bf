"""POST a JSON message to an organization's Slack or Microsoft Teams incoming webhook.

The URL is typed by an admin, so it gets the same guard as every URL Chorus
fetches (content_library.fetcher): https or http only, every resolved address
must be public (loopback only where tests allow it), the connection goes to the
vetted address itself, no redirects are followed, and time is capped.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

import certifi
import urllib3

from content_library.fetcher import FetchError, address_allowed, resolve

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5.0


class WebhookError(Exception):
    pass


def _vetted(url: str) -> tuple[str, str, str, int, str]:
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
    ):
        raise WebhookError("not an http(s) URL without credentials")
    host = parts.hostname.encode("idna").decode("ascii")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except FetchError as exc:
        raise WebhookError("host not found") from exc
    if not addresses or not all(address_allowed(address, port) for address in addresses):
        raise WebhookError("the webhook address is not public")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, addresses[0], port, path


def webhook_post(url: str, payload: dict) -> int:
    """Send and return the HTTP status; raises WebhookError when the address is refused or unreachable."""
    scheme, host, address, port, path = _vetted(url)
    timeout = urllib3.Timeout(connect=TIMEOUT_SECONDS, read=TIMEOUT_SECONDS)
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    default_port = 443 if scheme == "https" else 80
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=json.dumps(payload).encode(),
            headers={
                "Host": host if port == default_port else f"{host}:{port}",
                "Content-Type": "application/json",
            },
            redirect=False,
            retries=False,
        )
    except (TimeoutError, urllib3.exceptions.HTTPError) as exc:
        raise WebhookError(f"unreachable: {type(exc).__name__}") from exc
    finally:
        pool.close()
    if response.status >= 300:
        raise WebhookError(f"answered {response.status}")
    return response.status
