"""Demo digests: the organization's default, a few members' own choices, and what was
sent last week, so the admins' page shows real rows. Idempotent; sends nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from content_library.models import ContentItem

from .models import Digest, DigestPolicy, DigestPreference, Frequency

CHOICES = {"employee1": Frequency.DAILY, "employee2": Frequency.NEVER}


def seed(*, organization, people) -> None:
    DigestPolicy.objects.get_or_create(
        organization=organization, defaults={"default_frequency": Frequency.WEEKLY}
    )
    for local, frequency in CHOICES.items():
        member = people.get(local)
        if member is not None:
            DigestPreference.objects.get_or_create(
                organization=organization, membership=member, defaults={"frequency": frequency}
            )
    items = list(ContentItem.objects.for_org(organization).shareable().order_by("-id")[:3])
    if not items:
        return
    sent_at = timezone.now() - datetime.timedelta(days=3)
    year, week, _day = sent_at.isocalendar()
    for local in ("employee3", "manager", "admin"):
        member = people.get(local)
        if member is None:
            continue
        Digest.objects.get_or_create(
            organization=organization,
            membership=member,
            period=f"{year}-W{week:02d}",
            defaults={
                "frequency": Frequency.WEEKLY,
                "items": [{"id": item.pk, "title": item.display_title} for item in items],
                "status": Digest.Status.SENT,
                "created_at": sent_at,
                "sent_at": sent_at,
            },
        )
