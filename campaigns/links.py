"""Tracked links: the short /r/<code> link every share carries.

A code is random (base62 from `secrets`), so knowing one link says nothing
about any other. /r/ is resolved before any organization is known, so a code
must be unique across every organization: the check runs in an audited system
context, and a collision (vanishingly rare at 62**11) just draws again.

The target is the content's URL with UTM parameters, so the destination's own
analytics (Google Analytics, HubSpot, ...) attribute the visit: source = the
network or channel, medium = employee_advocacy, campaign = the campaign's
short name (or "always-on"), content = an opaque advocate id (an HMAC of the
membership id, so a reader of the URL learns nothing about who we are).
"""

from __future__ import annotations

import re
import secrets
import string
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Organization

from .models import CampaignSettings, Share, TrackedLink

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 11
UTM_MEDIUM = "employee_advocacy"
ALWAYS_ON = "always-on"
_ATTEMPTS = 8


def advocate_token(membership_id: int) -> str:
    """Stable, opaque id of an advocate for utm_content; not reversible without SECRET_KEY."""
    return salted_hmac("chorus.campaigns.advocate", str(membership_id)).hexdigest()[:16]


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _code_taken(code: str) -> bool:
    # Codes live in one namespace for every organization; row-level security would
    # hide other organizations' codes from an organization's own context.
    with system_context("tracked link code uniqueness"):
        return TrackedLink.objects.filter(code=code).exists()


def tracked_target_url(
    *, url: str, source: str, campaign_slug: str | None, membership_id: int
) -> str:
    """The content URL with our UTM parameters; its other query parameters and fragment stay."""
    parts = urlsplit(url)
    utm = {
        "utm_source": source,
        "utm_medium": UTM_MEDIUM,
        "utm_campaign": campaign_slug or ALWAYS_ON,
        "utm_content": advocate_token(membership_id),
    }
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in utm
    ]
    return urlunsplit(parts._replace(query=urlencode([*kept, *utm.items()])))


def tracked_link_create(*, organization: Organization, share: Share) -> TrackedLink:
    """The share's tracked link, created once (calling again returns the same link)."""
    ensure_in_org(organization, share)
    existing = TrackedLink.objects.for_org(organization).filter(share=share).first()
    if existing is not None:
        return existing
    content_url = share.content.url
    if not content_url:
        raise ValidationError(_("This post has no link to track."))
    target = tracked_target_url(
        url=content_url,
        source=share.channel,
        campaign_slug=share.campaign.slug if share.campaign_id else None,
        membership_id=share.membership_id,
    )
    for _attempt in range(_ATTEMPTS):
        code = _new_code()
        if _code_taken(code):
            continue
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    organization=organization, share=share, code=code, target_url=target
                )
        except IntegrityError:
            # Either the code was drawn at the same instant elsewhere, or the share got
            # its link from a concurrent request: the latter is the answer.
            existing = TrackedLink.objects.for_org(organization).filter(share=share).first()
            if existing is not None:
                return existing
    raise RuntimeError(
        "could not draw a free tracked link code"
    )  # 8 collisions in a row: broken RNG


def short_base_url(organization: Organization) -> str:
    short_domain = (
        CampaignSettings.objects.for_org(organization)
        .values_list("short_domain", flat=True)
        .first()
        or ""
    )
    return f"https://{short_domain}" if short_domain else settings.SITE_URL


def tracked_link_url(link: TrackedLink) -> str:
    """The public short URL, on the organization's own short domain when it has one."""
    return f"{short_base_url(link.organization)}/r/{link.code}"


def tracked_link_set_active(
    *, organization: Organization, link_id: int, is_active: bool
) -> TrackedLink:
    """Switch a link off (it then answers a friendly 404) or on again."""
    link = TrackedLink.objects.for_org(organization).get(pk=link_id)
    if link.is_active != is_active:
        link.is_active = is_active
        link.save(update_fields=["is_active"])
        events.publish(
            events.TrackedLinkChanged(
                organization_id=organization.pk, link_id=link.pk, code=link.code
            )
        )
    return link


# --- the destination in the employee's words ------------------------------------------------

# A link as people paste it: http(s):// up to white space, trailing punctuation left
# to the sentence ("see https://acme.com/news." ends the sentence, not the URL).
_PASTED_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"…"


def _same_page_key(url: str) -> tuple[str, str, tuple] | None:
    """What makes two links the same page to a reader: host (without www.), path
    (without a trailing slash) and query (without utm_ tracking parameters);
    scheme, letter case of the host and the fragment aside."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = tuple(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_")
        )
    )
    return host, parts.path.rstrip("/"), query


def with_tracked_link(text: str, *, destination: str, tracked: str) -> str:
    """The employee's text with the content's own address (as typed: with or without
    https, www, a trailing slash or utm_ parameters) replaced by the tracked link, so
    the post carries one link, the one that counts the click, instead of both."""
    if not text or not destination or not tracked:
        return text
    wanted = _same_page_key(destination)
    if wanted is None:
        return text

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        # Without the sentence's punctuation first; whole, for an address ending in one.
        for url in (found.rstrip(_TRAILING), found):
            if url and url != tracked and _same_page_key(url) == wanted:
                return tracked + found[len(url) :]
        return found

    return _PASTED_URL.sub(swap, text)
