"""The organization's disclosure (e.g. #iworkforacme) on every post an employee
shares through Chorus, whatever they wrote: the one place it is applied.

Every sharing path goes through `share_text`: the composer (stored on the share,
and again when the publish task sends it, for shares scheduled before the rule
changed), the share-intent links, copy and the phone's share sheet, and the API,
which calls the same services. The length rules then count the text as it will
go out, disclosure included.

A caption already carrying it, in any letter case, as a whole hashtag (not the
start of a longer one), keeps it where the employee put it.
"""

from __future__ import annotations

import re

from advocacy.tenancy.models import Organization
from content_library.models import Network
from content_library.selectors import library_settings_get


def _pattern(disclosure: str) -> re.Pattern[str]:
    # Not glued to a word or another tag before it, nor continued by letters after it:
    # "#IWorkForAcme." carries "#iworkforacme", "#iworkforacmeteam" does not.
    return re.compile(r"(?<![\w#@])" + re.escape(disclosure) + r"(?!\w)", re.IGNORECASE)


def carries(text: str, disclosure: str) -> bool:
    disclosure = disclosure.strip()
    return not disclosure or bool(_pattern(disclosure).search(text))


def with_disclosure(text: str, disclosure: str) -> str:
    """The text, stripped, ending with the disclosure unless it carries it already."""
    text, disclosure = text.strip(), disclosure.strip()
    if carries(text, disclosure):
        return text
    return f"{text} {disclosure}" if text else disclosure


def disclosure_for(*, organization: Organization, channel: str) -> str:
    """The disclosure a post on `channel` must carry, or "".

    A network the admin did not list is left alone. The by-hand channels that do not
    name a network (copy, the share sheet, WhatsApp, e-mail) always carry it while it
    is required: the text may end up on any network."""
    rules = library_settings_get(organization=organization)
    if not (rules.disclosure_required and rules.disclosure.strip()):
        return ""
    if channel in Network.values and not rules.disclosure_applies_to(channel):
        return ""
    return rules.disclosure.strip()


def share_text(*, organization: Organization, channel: str, text: str) -> str:
    """The text as it goes out on `channel`: what the employee wrote, with the
    organization's disclosure where it is required."""
    return with_disclosure(text, disclosure_for(organization=organization, channel=channel))
