"""How long a post may be on each network, counted the way the network counts.

One place for the limits: the caption editor's live counters (static JS reads
`NETWORK_LIMITS` from the page) and the campaigns composer both use it.
"""

from __future__ import annotations

import re

from .models import Network

NETWORK_LIMITS: dict[str, int] = {
    Network.X: 280,
    Network.LINKEDIN: 3000,
    Network.FACEBOOK: 63206,
    Network.MASTODON: 500,
    Network.BLUESKY: 300,
}

# X and Mastodon shorten every link, so a link of any length counts as 23 characters.
LINK_LENGTH: dict[str, int] = {Network.X: 23, Network.MASTODON: 23}

URL_PATTERN = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def effective_length(text: str, network: str) -> int:
    link_length = LINK_LENGTH.get(network)
    if link_length is None:
        return len(text)
    return len(URL_PATTERN.sub("x" * link_length, text))


def fits(text: str, network: str) -> bool:
    limit = NETWORK_LIMITS.get(network)
    return limit is None or effective_length(text, network) <= limit


def with_disclosure(text: str, disclosure: str) -> str:
    """Append the disclosure once; a caption that already carries it is left as it is."""
    disclosure = disclosure.strip()
    if not disclosure or disclosure.lower() in text.lower():
        return text
    return f"{text.rstrip()} {disclosure}" if text.strip() else disclosure
