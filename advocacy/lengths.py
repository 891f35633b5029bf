"""How long a post is, counted the way each network counts it: the one rule
the composer, the content library, the adapters and the sandbox share.

Sources (checked 2026-12):

- X: weighted length, max 280. Code points in the Latin ranges weigh 1, all
  others (CJK, emoji sequences) 2, every URL 23. twitter-text v3 config,
  https://docs.x.com/resources/fundamentals/counting-characters ; counted
  with the ``twitter-text-parser`` port of twitter-text.
- Bluesky: ``app.bsky.feed.post#text`` has ``maxGraphemes: 300`` and
  ``maxLength: 3000`` (UTF-8 bytes),
  https://docs.bsky.app/docs/advanced-guides/post-richtext ; graphemes are
  extended grapheme clusters (``regex``'s ``\\X``).
- Mastodon: StatusLengthValidator counts grapheme clusters after replacing
  every URL by 23 characters and a remote mention by its local part; the
  maximum is the instance's ``configuration.statuses.max_characters``
  (default 500), https://docs.joinmastodon.org/entities/Instance/ .
- LinkedIn: Posts API ``commentary`` up to 3,000 characters,
  https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api
- Facebook: a Page post message up to 63,206 characters.

Pure Python, no Django: the sandbox imports it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from twitter_text import parse_tweet

X, LINKEDIN, FACEBOOK, MASTODON, BLUESKY = "x", "linkedin", "facebook", "mastodon", "bluesky"

LIMITS: dict[str, int] = {X: 280, LINKEDIN: 3000, FACEBOOK: 63206, MASTODON: 500, BLUESKY: 300}
MAX_BYTES: dict[str, int] = {BLUESKY: 3000}
# Networks that count any link as this many characters, whatever its length.
LINK_LENGTH: dict[str, int] = {X: 23, MASTODON: 23}
# The unit each network counts in, for messages ("graphemes", "weighted characters").
UNITS: dict[str, str] = {
    X: "weighted characters (CJK and emoji 2, links 23)",
    LINKEDIN: "characters",
    FACEBOOK: "characters",
    MASTODON: "characters (each emoji 1, links 23)",
    BLUESKY: "graphemes",
}

# Mastodon's own URL and mention patterns, simplified: a link is http(s)://
# up to white space; a remote mention @user@domain counts as @user.
_URL = regex.compile(r"https?://[^\s]+", regex.IGNORECASE)
_REMOTE_MENTION = regex.compile(r"(?<![\w/])@(\w+)@[\w.-]+\w", regex.UNICODE)
_GRAPHEME = regex.compile(r"\X")
_TCO = "https://t.co/" + "x" * 10  # 23 characters, as X wraps every link


def graphemes(text: str) -> int:
    """Extended grapheme clusters: what a person sees as one character."""
    return len(_GRAPHEME.findall(text))


def length(text: str, network: str) -> int:
    """The length the network compares with its limit."""
    if network == X:
        # Every http(s) link Chorus posts is wrapped in t.co (23); twitter-text
        # alone would count a link on a host without a public TLD (a staging
        # or development short-link domain) character by character.
        return int(parse_tweet(_URL.sub(_TCO, text)).weightedLength)
    if network == MASTODON:
        countable = _REMOTE_MENTION.sub(r"@\1", _URL.sub("x" * LINK_LENGTH[MASTODON], text))
        return graphemes(countable)
    if network == BLUESKY:
        return graphemes(text)
    return len(text)


@dataclass(frozen=True)
class Measure:
    network: str
    length: int
    limit: int | None
    size: int  # UTF-8 bytes
    max_bytes: int | None

    @property
    def over_length(self) -> bool:
        return self.limit is not None and self.length > self.limit

    @property
    def over_bytes(self) -> bool:
        return self.max_bytes is not None and self.size > self.max_bytes

    @property
    def ok(self) -> bool:
        return not (self.over_length or self.over_bytes)

    def problem(self) -> str | None:
        """The network's rule, in English, for logs and adapter errors."""
        if self.over_length:
            return (
                f"{self.network} allows {self.limit} {UNITS.get(self.network, 'characters')}; "
                f"this text counts {self.length}"
            )
        if self.over_bytes:
            return (
                f"{self.network} allows {self.max_bytes} bytes of UTF-8 text; "
                f"this text takes {self.size}"
            )
        return None


def measure(text: str, network: str, *, limit: int | None = None) -> Measure:
    """Length, size and limits of ``text`` on ``network``; ``limit`` overrides
    the default maximum (a Mastodon instance's own ``max_characters``)."""
    return Measure(
        network=network,
        length=length(text, network),
        limit=limit if limit is not None else LIMITS.get(network),
        size=len(text.encode("utf-8")),
        max_bytes=MAX_BYTES.get(network),
    )


def fits(text: str, network: str, *, limit: int | None = None) -> bool:
    return measure(text, network, limit=limit).ok
