"""Asking an employee to look at their profile when the network cannot tell us whether
their post went out: an in-app prompt (while it waits) and one e-mail in their language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Organization

from ..models import Share

log = logging.getLogger(__name__)


def share_check_url(*, organization: Organization, share: Share) -> str:
    """The page with the one-tap answer ("it is there" / "send it again")."""
    return settings.SITE_URL + reverse(
        "campaigns:share_check", kwargs={"org_slug": organization.slug, "pk": share.pk}
    )


def share_check_ask(*, organization: Organization, share: Share) -> bool:
    """E-mail the share's employee once (the claim on `check_asked_at` comes first, so a
    rerun or a second round never repeats it). True when this call sent it."""
    claimed = (
        Share.objects.for_org(organization)
        .filter(pk=share.pk, status=Share.Status.UNKNOWN, check_asked_at__isnull=True)
        .update(check_asked_at=timezone.now())
    )
    if not claimed:
        return False
    member = share.membership
    user = member.user
    if not user.email:
        return False
    language = getattr(user, "preferred_language", "") or organization.default_language
    with translation.override(language):
        context = {
            "organization": organization,
            "share": share,
            "member": member,
            "network": share.get_channel_display(),
            "check_url": share_check_url(organization=organization, share=share),
        }
        subject = _("%(organization)s: is your %(network)s post there?") % {
            "organization": organization.name,
            "network": context["network"],
        }
        text = render_to_string("campaigns/email/share_check.txt", context)
        html = render_to_string("campaigns/email/share_check.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # mail down: the in-app prompt still asks them
        log.warning("share %s: the check e-mail could not be sent: %s", share.pk, exc)
        Share.objects.for_org(organization).filter(pk=share.pk).update(check_asked_at=None)
        return False
    return True
