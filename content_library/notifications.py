"""Emails of the content library, in the recipient's language, HTML with a text part."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def notify_rejection(*, organization, content, author, reviewer, note: str) -> None:
    """Tell the author why their item went back to draft."""
    user = author.user
    with translation.override(user.preferred_language or organization.default_language):
        context = {
            "organization": organization,
            "content": content,
            "reviewer": reviewer.user.get_full_name() or reviewer.user.email,
            "note": note,
            "recipient": user.get_short_name(),
            "url": settings.SITE_URL
            + reverse(
                "content_library:item_edit",
                kwargs={"org_slug": organization.slug, "pk": content.pk},
            ),
        }
        subject = _("Changes requested: %(title)s") % {"title": content.title[:80]}
        text = render_to_string("content_library/emails/rejected.txt", context)
        html = render_to_string("content_library/emails/rejected.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
