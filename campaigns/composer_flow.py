"""The composer's first-share helpers: the guidelines agreed to inside the composer,
and the draft kept while the employee connects a network.

The draft lives in the server-side session (never in a URL or the OAuth state), keyed
by organization and content item, so the consent round trip cannot lose it and a
crafted link cannot pre-fill someone's post."""

from __future__ import annotations

from django.http import HttpRequest

from advocacy.tenancy.models import Membership, Organization
from content_library.selectors import guidelines_acknowledged, guidelines_current
from content_library.services import guidelines_acknowledge

DRAFTS_KEY = "campaigns_composer_drafts"
MAX_DRAFTS = 5
MAX_DRAFT_LENGTH = 10_000
AGREED_FIELD = "guidelines_version"


def guidelines_to_agree(*, organization: Organization, membership: Membership):
    """The guidelines version the composer must show and have agreed to, or None."""
    if guidelines_acknowledged(organization=organization, membership=membership):
        return None
    return guidelines_current(organization=organization)


def record_agreement(request: HttpRequest, *, organization: Organization, membership: Membership):
    """Acknowledge the guidelines when the composer that showed them was submitted.

    The form names the version it showed; a newer version published meanwhile is not
    acknowledged by it, so the share is refused and the composer shows the new one."""
    version = guidelines_to_agree(organization=organization, membership=membership)
    if version is not None and request.POST.get(AGREED_FIELD) == str(version.number):
        guidelines_acknowledge(organization=organization, membership=membership)


def _key(organization: Organization, content_id: int) -> str:
    return f"{organization.pk}:{content_id}"


def draft_save(request: HttpRequest, *, organization: Organization, content_id: int, text: str):
    drafts = dict(request.session.get(DRAFTS_KEY) or {})
    drafts.pop(_key(organization, content_id), None)
    drafts[_key(organization, content_id)] = text[:MAX_DRAFT_LENGTH]
    request.session[DRAFTS_KEY] = dict(list(drafts.items())[-MAX_DRAFTS:])


def draft_get(request: HttpRequest, *, organization: Organization, content_id: int) -> str | None:
    return (request.session.get(DRAFTS_KEY) or {}).get(_key(organization, content_id))


def draft_clear(request: HttpRequest, *, organization: Organization, content_id: int) -> None:
    drafts = dict(request.session.get(DRAFTS_KEY) or {})
    if drafts.pop(_key(organization, content_id), None) is not None:
        request.session[DRAFTS_KEY] = drafts
