"""The digest e-mail: HTML with a plain-text part, in the member's language, with
one-tap share links and RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from advocacy.tenancy.models import Membership, Organization
from content_library.models import ContentItem

from .tokens import share_token, unsubscribe_token

# The channels offered under each item (the composer's share-intent channels).
CHANNELS = (
    ("linkedin", "LinkedIn"),
    ("x", "X"),
    ("facebook", "Facebook"),
    ("whatsapp", "WhatsApp"),
)
CHANNEL_LABELS = {**dict(CHANNELS), "email": "E-mail"}


def member_language(organization: Organization, membership: Membership) -> str:
    return membership.user.preferred_language or organization.default_language


def unsubscribe_url(membership: Membership) -> str:
    return settings.SITE_URL + reverse(
        "digest_unsubscribe", kwargs={"token": unsubscribe_token(membership)}
    )


def build_digest_email(
    *,
    organization: Organization,
    membership: Membership,
    items: list[ContentItem],
    frequency: str,
) -> EmailMultiAlternatives:
    user = membership.user
    unsubscribe = unsubscribe_url(membership)
    cards = []
    for item in items:
        token = share_token(membership, item.pk)
        cards.append(
            {
                "item": item,
                "links": [
                    (
                        label,
                        settings.SITE_URL
                        + reverse("digest_share", kwargs={"token": token, "channel": key}),
                    )
                    for key, label in CHANNELS
                ],
            }
        )
    with translation.override(member_language(organization, membership)):
        context = {
            "organization": organization,
            "user": user,
            "cards": cards,
            "frequency": frequency,
            "unsubscribe_url": unsubscribe,
            "preferences_url": settings.SITE_URL
            + reverse("campaigns:digest_preferences", kwargs={"org_slug": organization.slug}),
            "feed_url": settings.SITE_URL
            + reverse("campaigns:feed", kwargs={"org_slug": organization.slug}),
        }
        subject = render_to_string("campaigns/digests/email_subject.txt", context)
        text = render_to_string("campaigns/digests/email.txt", context)
        html = render_to_string("campaigns/digests/email.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            # RFC 2369 and RFC 8058: mail apps show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
