"""Sharing guidelines: versions, and each person's acknowledgement of the current one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from ..models import GuidelinesAcknowledgement, GuidelinesVersion
from ..sanitize import clean_html
from ..selectors import guidelines_current


@transaction.atomic
def guidelines_publish(
    *,
    organization: Organization,
    actor: Membership | None,
    title: str,
    body: str,
    change_summary: str = "",
) -> GuidelinesVersion:
    """Publish a new version; everyone must acknowledge it before their next share."""
    body = clean_html(body)
    if not body.strip() or not title.strip():
        raise ValidationError(_("The guidelines need a title and a text."))
    last = (
        GuidelinesVersion.objects.for_org(organization)
        .select_for_update()
        .order_by("-number")
        .first()
    )
    return GuidelinesVersion.objects.create(
        organization=organization,
        number=(last.number + 1) if last else 1,
        title=title.strip(),
        body=body,
        change_summary=change_summary.strip(),
        published_at=timezone.now(),
        created_by=actor,
    )


def guidelines_acknowledge(
    *, organization: Organization, membership: Membership
) -> GuidelinesAcknowledgement:
    version = guidelines_current(organization=organization)
    if version is None:
        raise ValidationError(_("There are no guidelines to acknowledge."))
    try:
        with transaction.atomic():
            ack, _created = GuidelinesAcknowledgement.objects.for_org(organization).get_or_create(
                organization=organization, version=version, membership=membership
            )
    except IntegrityError:  # a double click raced us; the first one counts
        return GuidelinesAcknowledgement.objects.for_org(organization).get(
            version=version, membership=membership
        )
    return ack
