"""POST a JSON message to an organization's Slack or Microsoft Teams incoming webhook.

The URL is typed by an admin, so it goes through the core's outbound gate
(`advocacy.outbound`): public addresses only, checked once and connected to
directly, no redirects followed, time and size capped.
"""

from __future__ import annotations

import json

from advocacy import outbound

TIMEOUT_SECONDS = 5.0


class WebhookError(Exception):
    pass


def webhook_post(url: str, payload: dict) -> int:
    """Send and return the HTTP status; raises WebhookError when the address is refused or unreachable."""
    try:
        response = outbound.request(
            "POST",
            url,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            timeout=TIMEOUT_SECONDS,
            max_bytes=64 * 1024,
        )
    except outbound.OutboundError as exc:
        raise WebhookError(str(exc)) from exc
    if response.status_code >= 300:
        raise WebhookError(f"answered {response.status_code}")
    return response.status_code
