"""The name a person goes by on surfaces others read (embeds, feeds, newsletters,
leaderboards): the display name they chose, or "a colleague". Never the e-mail
address, which `str(user)` falls back to and which an intranet page must not leak."""

from __future__ import annotations

from django.utils.translation import gettext as _


def public_name(person) -> str:
    """`person` is a Membership, a User, or a chosen name (str or None)."""
    user = getattr(person, "user", person)
    name = user if isinstance(user, str) or user is None else getattr(user, "name", "")
    name = (name or "").strip()
    return name or _("a colleague")
