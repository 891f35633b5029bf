"""Emails about an employee's connections: HTML with a plain-text part, in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from advocacy.tenancy.models import Organization


def send_connection_email(*, organization: Organization, connection, template: str) -> None:
    """`template`: "reconnect" (access lost) or "expiring" (access ends soon)."""
    membership = connection.membership
    user = membership.user
    language = getattr(user, "preferred_language", "") or organization.default_language
    url = settings.SITE_URL + reverse("social:connections", kwargs={"org_slug": organization.slug})
    with translation.override(language):
        context = {
            "organization": organization,
            "user": user,
            "connection": connection,
            "network": connection.get_network_display(),
            "connections_url": url,
        }
        subject = render_to_string(f"social/emails/{template}_subject.txt", context)
        text = render_to_string(f"social/emails/{template}.txt", context)
        html = render_to_string(f"social/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()
