"""Leaders' thank-you notes and the monthly newsletter: in-app rows plus emails (HTML with a
plain-text part) in each recipient's own language."""

from __future__ import annotations

import datetime
import re

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization

from ..models import Newsletter, NewsletterDelivery, RecognitionPreference, ThankYouNote
from ..periods import local_today, moment_range, month_start
from ..selectors import newsletter_content, top_advocates
from .shoutouts import is_leader

PLACEHOLDER = re.compile(r"\{(first_name|name|points|organization|sender)\}")
MAX_RECIPIENTS = 50


def thank_you_template() -> tuple[str, str]:
    return (
        _("Thank you, {first_name}!"),
        _(
            "Hi {first_name},\n\nI wanted to thank you personally: your {points} points this month show how "
            "much you do for {organization}. Every share helps people discover who we are.\n\nThank you!\n{sender}"
        ),
    )


def _personalise(text: str, values: dict[str, str]) -> str:
    # Only our placeholders are replaced; anything else in braces stays as written.
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _language(organization: Organization, membership: Membership) -> str:
    return membership.user.preferred_language or organization.default_language


def _send(
    organization: Organization, membership: Membership, subject: str, template: str, context: dict
) -> None:
    context = {
        "organization": organization,
        "membership": membership,
        "site_url": django_settings.SITE_URL,
        **context,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"recognition/emails/{template}.txt", context),
        to=[membership.user.email],
    )
    message.attach_alternative(
        render_to_string(f"recognition/emails/{template}.html", context), "text/html"
    )
    message.send()


def thank_you_send(
    *,
    organization: Organization,
    sender: Membership,
    recipients: list[Membership],
    subject: str,
    body: str,
) -> list[ThankYouNote]:
    from advocacy.tenancy.tasks import enqueue_on_commit

    from ..tasks import thank_you_email

    if not is_leader(sender):
        raise ValidationError(_("Only admins, managers and executives can send thank-you notes."))
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one advocate.")})
    if len(recipients) > MAX_RECIPIENTS:
        raise ValidationError(
            {"recipients": _("Send to at most %(max)s people at once.") % {"max": MAX_RECIPIENTS}}
        )
    ensure_in_org(organization, sender, *recipients)
    if any(person.pk == sender.pk for person in recipients):
        raise ValidationError(
            {"recipients": _("Choose colleagues of this organization other than yourself.")}
        )
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."))
    today = local_today(organization)
    start, end = moment_range(organization, month_start(today), today + datetime.timedelta(days=1))
    points = {
        row["membership"].pk: row["points"]
        for row in top_advocates(
            organization=organization, start=start, end=end, limit=10_000, public=False
        )
    }
    notes = []
    with transaction.atomic():
        for person in recipients:
            values = {
                "first_name": person.user.get_short_name(),
                "name": person.user.get_full_name(),
                "points": str(points.get(person.pk, 0)),
                "organization": organization.name,
                "sender": sender.user.get_full_name(),
            }
            note = ThankYouNote.objects.create(
                organization=organization,
                sender=sender,
                recipient=person,
                subject=_personalise(subject.strip(), values)[:150],
                body=_personalise(body.strip(), values),
            )
            enqueue_on_commit(thank_you_email, organization_id=organization.pk, note_id=note.pk)
            notes.append(note)
    return notes


def thank_you_email_send(*, organization: Organization, note: ThankYouNote) -> bool:
    """Email one note once; a rerun finds it emailed."""
    with transaction.atomic():
        note = ThankYouNote.objects.for_org(organization).select_for_update().get(pk=note.pk)
        if note.emailed_at is not None:
            return False
        recipient = note.recipient
        with translation.override(_language(organization, recipient)):
            url = django_settings.SITE_URL + reverse(
                "recognition:me", kwargs={"org_slug": organization.slug}
            )
            _send(organization, recipient, note.subject, "thank_you", {"note": note, "url": url})
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


def thank_you_mark_read(
    *, organization: Organization, note: ThankYouNote, membership: Membership
) -> None:
    if note.recipient_id == membership.pk and note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])


def newsletter_prepare(
    *, organization: Organization, month: datetime.date, intro: str | None = None
) -> Newsletter:
    newsletter, _created = Newsletter.objects.get_or_create(
        organization=organization, month=month_start(month)
    )
    if intro is not None and newsletter.sent_at is None:
        newsletter.intro = intro.strip()[:2000]
        newsletter.save(update_fields=["intro"])
    return newsletter


def newsletter_render(
    *, organization: Organization, newsletter: Newsletter, membership: Membership
) -> dict:
    """Subject, text and HTML of the newsletter as this person will read it."""
    with translation.override(_language(organization, membership)):
        context = {
            **newsletter_content(organization=organization, month=newsletter.month),
            "newsletter": newsletter,
            "organization": organization,
            "membership": membership,
            "site_url": django_settings.SITE_URL,
            "url": django_settings.SITE_URL
            + reverse("recognition:feed", kwargs={"org_slug": organization.slug}),
        }
        subject = _("%(organization)s advocacy newsletter: %(month)s") % {
            "organization": organization.name,
            "month": _month_name(newsletter.month),
        }
        return {
            "subject": subject,
            "text": render_to_string("recognition/emails/newsletter.txt", context),
            "html": render_to_string("recognition/emails/newsletter.html", context),
        }


def _month_name(month: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "YEAR_MONTH_FORMAT")


def newsletter_send(*, organization: Organization, newsletter: Newsletter) -> int:
    """Mail everyone who has not received it yet; safe to run again after a crash."""
    opted_out = set(
        RecognitionPreference.objects.for_org(organization)
        .filter(receive_newsletter=False)
        .values_list("membership_id", flat=True)
    )
    delivered = set(
        NewsletterDelivery.objects.for_org(organization)
        .filter(newsletter=newsletter)
        .values_list("membership_id", flat=True)
    )
    sent = 0
    people = Membership.objects.for_org(organization).filter(is_active=True).select_related("user")
    for person in people.exclude(pk__in=opted_out | delivered):
        try:
            with transaction.atomic():
                # The delivery row first: if another worker sends the same newsletter, one of us stops here.
                NewsletterDelivery.objects.create(
                    organization=organization, newsletter=newsletter, membership=person
                )
                rendered = newsletter_render(
                    organization=organization, newsletter=newsletter, membership=person
                )
                message = EmailMultiAlternatives(
                    subject=rendered["subject"], body=rendered["text"], to=[person.user.email]
                )
                message.attach_alternative(rendered["html"], "text/html")
                message.send()
        except IntegrityError:
            continue
        sent += 1
    if newsletter.sent_at is None:
        newsletter.sent_at = timezone.now()
        newsletter.save(update_fields=["sent_at"])
    return sent
