"""A person deleted their account (`AccountErased`): their 1:1 notes.

Private notes only their author ever saw and the agenda topics they wrote are removed,
and their 1:1 series stop (no more meetings or reminders). Shared notes stay: they are
the other participant's record as much as theirs. Survey answers stay: they never
named anyone. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from advocacy.tenancy.models import Organization

from ..models import AgendaItem, OneOnOne, PrivateNote


@transaction.atomic
def one_on_ones_erase_member(*, organization: Organization, membership_id: int) -> None:
    PrivateNote.objects.for_org(organization).filter(author_id=membership_id).delete()
    AgendaItem.objects.for_org(organization).filter(author_id=membership_id).delete()
    OneOnOne.objects.for_org(organization).filter(
        Q(manager_id=membership_id) | Q(report_id=membership_id)
    ).update(is_active=False)
