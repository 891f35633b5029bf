"""Trees inside an organization (teams under teams, people under managers): whether
putting one node under another would close a loop."""

from __future__ import annotations

from django.db import models

from .models import Organization


def chain_reaches(
    organization: Organization, start: models.Model | None, up: str, target_pk: int
) -> bool:
    """Whether walking up from `start` along the `up` foreign key (`parent`, `manager`),
    `start` included, meets the row `target_pk`. A loop already stored ends the walk."""
    model = type(start)
    seen: set[int] = set()
    current = start
    while current is not None and current.pk not in seen:
        if current.pk == target_pk:
            return True
        seen.add(current.pk)
        above = getattr(current, f"{up}_id")
        current = model.objects.for_org(organization).filter(pk=above).first() if above else None
    return False
