"""The links in a digest e-mail, which work without signing in.

Unsubscribe follows RFC 8058: the mail app's one-click button POSTs here (no CSRF token
can come with it; the signed token is the authority), and the visible link opens a page
with one button, since link scanners follow GET links and must not unsubscribe anyone.

A share link records the share and opens the network's share page in one tap when the
browser says a person followed it (`Sec-Fetch-User: ?1`, sent by browsers for a
user-activated navigation, never by a mail scanner fetching it); otherwise it shows the
post with one button, so a scanner cannot share in the employee's name."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership, Organization
from campaigns.intents import INTENT_CHANNELS, intent_url
from campaigns.selectors import shareable_content_get
from campaigns.services import share_record_by_hand
from campaigns.views import IntentRedirect
from content_library.selectors import caption_variants

from . import services
from .emails import CHANNEL_LABELS, member_language
from .tokens import SHARE_SALT, UNSUBSCRIBE_SALT, read_token


@contextmanager
def _member(token: str, salt: str):
    """(organization, membership) the token names, inside that organization, in the member's
    language; (None, None) for a bad token or a member who is no longer active."""
    link = read_token(token, salt=salt)
    organization = (
        Organization.objects.filter(pk=link.organization_id, is_active=True).first()
        if link
        else None
    )
    if organization is None:
        yield None, None, link
        return
    with org_context(organization):
        membership = (
            Membership.objects.for_org(organization)
            .filter(pk=link.membership_id, user_id=link.user_id, is_active=True)
            .select_related("user")
            .first()
        )
        if membership is None:
            yield None, None, link
            return
        with translation.override(member_language(organization, membership)):
            yield organization, membership, link


def _invalid(request):
    return render(request, "campaigns/digests/link_invalid.html", status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    with _member(token, UNSUBSCRIBE_SALT) as (organization, membership, _link):
        if membership is None:
            return _invalid(request)
        context = {"organization": organization, "member": membership}
        if request.method == "GET":
            return render(request, "campaigns/digests/unsubscribe.html", context)
        changed = services.digest_unsubscribe(organization=organization, membership=membership)
        return render(
            request,
            "campaigns/digests/unsubscribed.html",
            {**context, "changed": changed},
        )


@require_http_methods(["GET", "POST"])
def share(request, token: str, channel: str):
    with _member(token, SHARE_SALT) as (organization, membership, link):
        if membership is None or channel not in INTENT_CHANNELS:
            return _invalid(request)
        content = shareable_content_get(
            organization=organization, membership=membership, pk=link.content_id
        )
        context = {
            "organization": organization,
            "member": membership,
            "channel_label": CHANNEL_LABELS.get(channel, channel),
        }
        if content is None:
            return render(request, "campaigns/digests/share_gone.html", context, status=410)
        text = (
            caption_variants(organization=organization, content=content, network=channel) or [""]
        )[0]
        person_tapped = request.headers.get("Sec-Fetch-User") == "?1"
        if request.method == "GET" and not person_tapped:
            return render(
                request,
                "campaigns/digests/share.html",
                {**context, "content": content, "text": text},
            )
        try:
            shared, url = share_record_by_hand(
                organization=organization,
                membership=membership,
                content=content,
                channel=channel,
                text=text,
            )
        except ValidationError as error:
            return render(
                request,
                "campaigns/digests/share.html",
                {**context, "content": content, "text": text, "errors": error.messages},
                status=400,
            )
        return IntentRedirect(
            intent_url(channel, text=shared.text, url=url, title=content.display_title)
        )
