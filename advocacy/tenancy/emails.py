"""Emails to people, in their own language, as HTML with a plain-text part."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation


def recipient_language(*, organization, user=None) -> str:
    return (
        getattr(user, "preferred_language", "")
        or organization.default_language
        or settings.LANGUAGE_CODE
    )


def build_email(*, to: str, template: str, context: dict, language: str) -> EmailMultiAlternatives:
    """`template` names tenancy/email/<template>_subject.txt, .txt and .html."""
    with translation.override(language):
        subject = render_to_string(f"tenancy/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"tenancy/email/{template}.txt", context)
        html = render_to_string(f"tenancy/email/{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send_all(messages: list[EmailMultiAlternatives]) -> int:
    """One connection for a batch (an import may welcome thousands)."""
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path
