"""Emails of the listening features: HTML with a plain-text part, in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from advocacy.tenancy.models import Membership, Organization


def send(
    *, organization: Organization, membership: Membership, template: str, context: dict
) -> None:
    """Render `surveys/emails/<template>_subject.txt`, `.txt` and `.html` for one person."""
    user = membership.user
    language = user.preferred_language or organization.default_language
    with translation.override(language):
        context = {"organization": organization, "membership": membership, "user": user, **context}
        subject = render_to_string(f"surveys/emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"surveys/emails/{template}.txt", context)
        html = render_to_string(f"surveys/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def absolute(path: str) -> str:
    return settings.SITE_URL + path
