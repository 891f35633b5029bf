"""How long a post may be on each network, counted the way the network counts.

The rule itself lives in `advocacy.lengths` (shared with the social adapters
and the sandbox); the caption editor's live counters (static JS reads
`NETWORK_LIMITS` from the page) and the campaigns composer use it through here.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from advocacy import lengths

NETWORK_LIMITS: dict[str, int] = dict(lengths.LIMITS)

# X and Mastodon shorten every link, so a link of any length counts as 23 characters.
LINK_LENGTH: dict[str, int] = dict(lengths.LINK_LENGTH)

URL_PATTERN = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def effective_length(text: str, network: str) -> int:
    """X weights characters, Bluesky and Mastodon count graphemes (see advocacy.lengths)."""
    return lengths.length(text, network)


def fits(text: str, network: str) -> bool:
    """Within the network's length and, for Bluesky, its 3,000-byte limit."""
    return lengths.fits(text, network)


def too_many_bytes(text: str, network: str, label: str | None = None) -> str:
    """The message for a text within the character count but over the byte limit."""
    m = lengths.measure(text, network)
    return _(
        "%(network)s stores at most %(max)s bytes of text and this takes %(size)s; "
        "emoji and accented letters take several bytes each."
    ) % {"network": label or network, "max": m.max_bytes, "size": m.size}


def with_disclosure(text: str, disclosure: str) -> str:
    """Append the disclosure once; a caption that already carries it is left as it is."""
    disclosure = disclosure.strip()
    if not disclosure or disclosure.lower() in text.lower():
        return text
    return f"{text.rstrip()} {disclosure}" if text.strip() else disclosure
