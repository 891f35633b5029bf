"""Deterministic audience numbers: followers from a handle, engagement from a
post's id and age, comments with text. Same inputs, same numbers, so tests
and demos can assert on them and replays are reproducible."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass


def stable_int(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def unit(*parts: object) -> float:
    """A stable float in [0, 1)."""
    return stable_int(*parts) / 2**64


def followers(network: str, handle: str) -> int:
    return 40 + stable_int("followers", network, handle.lower()) % 4960


@dataclass(frozen=True)
class Engagement:
    impressions: int
    reach: int
    reactions: int
    comments: int
    reposts: int
    clicks: int


# Posts gather most of their audience within the first day or two.
_TAU_MIN, _TAU_SPREAD = 4 * 3600, 20 * 3600


def _curve(network: str, post_id: str, age: float) -> float:
    """Saturating growth in [0, 1): 1 - exp(-age / tau), tau seeded by the post."""
    if age <= 0:
        return 0.0
    tau = _TAU_MIN + unit("tau", network, post_id) * _TAU_SPREAD
    return 1.0 - math.exp(-age / tau)


def _ceilings(network: str, post_id: str, author_followers: int) -> Engagement:
    """What the post reaches once it has saturated."""
    u = lambda name: unit(name, network, post_id)  # noqa: E731
    impressions = int(author_followers * (0.6 + 2.4 * u("imp")) + 50)
    reach = int(impressions * (0.55 + 0.3 * u("reach")))
    return Engagement(
        impressions=impressions,
        reach=reach,
        # small floors so even tiny accounts see some life once a post has aged
        reactions=int(impressions * (0.01 + 0.05 * u("react"))) + 3,
        comments=int(impressions * (0.002 + 0.008 * u("comm"))) + 1,
        reposts=int(impressions * (0.001 + 0.01 * u("repost"))) + 1,
        clicks=int(impressions * (0.005 + 0.03 * u("click"))) + 2,
    )


def engagement(network: str, post_id: str, author: str, age: float) -> Engagement:
    top = _ceilings(network, post_id, followers(network, author))
    f = _curve(network, post_id, age)
    # Every counter is floor(ceiling * f), so all of them only ever grow.
    return Engagement(*(int(v * f) for v in _as_tuple(top)))


def _as_tuple(e: Engagement) -> tuple[int, ...]:
    return (e.impressions, e.reach, e.reactions, e.comments, e.reposts, e.clicks)


_POSITIVE = [
    "Great read, thanks for sharing!",
    "This is exactly what our team needed this week.",
    "Love this, really insightful.",
    "Congrats to everyone involved, well deserved.",
    "Super helpful, bookmarking it for later.",
    "Proud to see this, amazing work.",
]
_NEGATIVE = [
    "Not convinced, this feels like marketing fluff.",
    "I disagree, the numbers here look misleading.",
    "Disappointing, I expected more detail.",
    "This did not work for us at all, sadly.",
]
_NEUTRAL = [
    "Is there a recording of the session?",
    "Which regions does this apply to?",
    "Sharing with my colleagues.",
    "How does this compare with last year?",
    "Interesting, will read the full report tomorrow.",
]
_COMMENTERS = ["ayu", "budi", "citra", "dewi", "eko", "fajar", "gita", "hana", "indra", "joko"]


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    text: str
    created_at: float


def comments(
    network: str, post_id: str, author: str, created_at: float, now: float
) -> list[Comment]:
    """The comments visible at ``now``: the first N of an endless stable
    sequence, N being the comment counter at that age; comment i is dated
    at the moment the counter reached i + 1."""
    age = now - created_at
    n = engagement(network, post_id, author, age).comments
    ceiling = _ceilings(network, post_id, followers(network, author)).comments
    tau = _TAU_MIN + unit("tau", network, post_id) * _TAU_SPREAD
    out = []
    for i in range(n):
        r = unit("sentiment", network, post_id, i)
        pool = _POSITIVE if r < 0.55 else _NEGATIVE if r < 0.75 else _NEUTRAL
        text = pool[stable_int("text", network, post_id, i) % len(pool)]
        who = _COMMENTERS[stable_int("who", network, post_id, i) % len(_COMMENTERS)]
        frac = min((i + 1) / ceiling, 0.999999)
        out.append(
            Comment(
                id=str(stable_int("cid", network, post_id, i) % 10**15),
                author=f"{who}.sandbox",
                text=text,
                created_at=created_at + (-tau * math.log(1 - frac)),
            )
        )
    return out
