"""The weekly summary email to admins (the whole program) and managers (their tree).

Beat asks every hour; an organization is due on Monday from 08:00 in its own
time zone. A `WeeklySummary` row for the week is written in the same
transaction as the sending, so a week goes out once: a second run finds the
row, and a failed send rolls the row back to be tried the next hour.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Membership, Organization
from advocacy.tenancy.permissions import ADMINS, MANAGER
from advocacy.tenancy.selectors import membership_tree_ids
from analytics.dashboards.figures import Filters, headline
from analytics.models import WeeklySummary

SEND_FROM_HOUR = 8


def summarized_week(
    organization: Organization, now: datetime.datetime
) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the last full week, in the organization's calendar."""
    today = now.astimezone(zoneinfo.ZoneInfo(organization.timezone)).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday - datetime.timedelta(days=7), this_monday - datetime.timedelta(days=1)


def organizations_due_for_summary(*, now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = []
    with system_context("weekly summaries"):
        for organization in Organization.objects.filter(is_active=True):
            local = now.astimezone(zoneinfo.ZoneInfo(organization.timezone))
            if local.weekday() != 0 or local.hour < SEND_FROM_HOUR:
                continue
            week_start, _end = summarized_week(organization, now)
            if not WeeklySummary.objects.filter(
                organization=organization, week_start=week_start
            ).exists():
                due.append(organization.pk)
    return due


def _message(
    organization: Organization, person: Membership, figures: dict, week: tuple, scope: str
):
    language = (
        person.user.preferred_language or organization.default_language or settings.LANGUAGE_CODE
    )
    context = {
        "organization": organization,
        "person": person,
        "figures": figures,
        "week_start": week[0],
        "week_end": week[1],
        "scope": scope,
        "url": settings.SITE_URL
        + reverse("analytics:overview", kwargs={"org_slug": organization.slug}),
    }
    with translation.override(language):
        subject = render_to_string("analytics/email/weekly_summary_subject.txt", context).strip()
        text = render_to_string("analytics/email/weekly_summary.txt", context)
        html = render_to_string("analytics/email/weekly_summary.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[person.user.email])
    message.attach_alternative(html, "text/html")
    return message


def weekly_summary_send(*, organization: Organization, now: datetime.datetime | None = None) -> int:
    """Send last week's summary once; returns the emails sent (0 when already sent)."""
    now = now or timezone.now()
    week = summarized_week(organization, now)
    with transaction.atomic():
        summary, created = WeeklySummary.objects.get_or_create(
            organization=organization, week_start=week[0]
        )
        if not created:
            return 0
        people = (
            Membership.objects.for_org(organization)
            .filter(is_active=True, role__in=[*ADMINS, MANAGER])
            .select_related("user")
        )
        whole = headline(organization, Filters(week[0], week[1]))
        messages = []
        for person in people:
            if person.role == MANAGER:
                tree = membership_tree_ids(organization=organization, manager=person)
                figures = headline(organization, Filters(week[0], week[1], member_ids=tree))
                messages.append(_message(organization, person, figures, week, "team"))
            else:
                messages.append(_message(organization, person, whole, week, "organization"))
        if messages:
            with get_connection() as connection:
                connection.send_messages(messages)
        WeeklySummary.objects.for_org(organization).filter(pk=summary.pk).update(
            recipients=len(messages)
        )
    return len(messages)
