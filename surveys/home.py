"""The admins' home figure surveys knows: rounds open for answers now."""

from __future__ import annotations

from django.utils import timezone

from advocacy.tenancy.models import Organization

from .models import Round


def surveys_open(*, organization: Organization) -> int:
    now = timezone.now()
    return Round.objects.for_org(organization).filter(opens_at__lte=now, closes_at__gt=now).count()
