"""Signed links in a digest e-mail: they work without signing in, name one member of one
organization (and, for sharing, one item), and any change to them breaks the signature.
A purpose-specific salt keeps an unsubscribe token from opening a share and back."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

UNSUBSCRIBE_SALT = "chorus.digests.unsubscribe"
SHARE_SALT = "chorus.digests.share"


@dataclass(frozen=True)
class DigestLink:
    organization_id: int
    membership_id: int
    user_id: int
    content_id: int | None = None


def unsubscribe_token(membership) -> str:
    return signing.dumps(
        {"o": membership.organization_id, "m": membership.pk, "u": membership.user_id},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def share_token(membership, content_id: int) -> str:
    return signing.dumps(
        {
            "o": membership.organization_id,
            "m": membership.pk,
            "u": membership.user_id,
            "c": content_id,
        },
        salt=SHARE_SALT,
        compress=True,
    )


def read_token(token: str, *, salt: str) -> DigestLink | None:
    """The link's facts, or None for anything tampered, truncated or made for another use."""
    try:
        data = signing.loads(token, salt=salt)
        return DigestLink(
            organization_id=int(data["o"]),
            membership_id=int(data["m"]),
            user_id=int(data["u"]),
            content_id=int(data["c"]) if "c" in data else None,
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
