"""Campaigns: create, edit, launch, end, and the status changes beat makes as dates pass."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Membership, Organization, Team
from advocacy.tenancy.services import onboarding_step_complete
from advocacy.tenancy.tasks import enqueue_on_commit
from content_library.models import ContentItem

from ..models import Campaign, CampaignAudience, CampaignItem, CampaignSettings

EDITABLE_FIELDS = (
    "name",
    "description",
    "goal_clicks",
    "starts_at",
    "ends_at",
    "points_per_share",
    "points_per_click",
)


def _unique_slug(
    *, organization: Organization, name: str, slug: str, exclude_pk: int | None
) -> str:
    base = slugify(slug or name)[:70] or "campaign"
    taken = set(
        Campaign.objects.for_org(organization)
        .exclude(pk=exclude_pk)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    if slug and slugify(slug) in taken:
        raise ValidationError({"slug": _("Another campaign already uses this short name.")})
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _validate_dates(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The campaign must end after it starts.")})


def _set_items(
    *, organization: Organization, campaign: Campaign, items: Sequence[ContentItem]
) -> None:
    ensure_in_org(organization, *items)
    CampaignItem.objects.for_org(organization).filter(campaign=campaign).exclude(
        content_id__in=[i.pk for i in items]
    ).delete()
    for position, item in enumerate(items):
        CampaignItem.objects.update_or_create(
            organization=organization,
            campaign=campaign,
            content=item,
            defaults={"position": position},
        )


def _set_audience(
    *,
    organization: Organization,
    campaign: Campaign,
    teams: Sequence[Team],
    locations: Sequence[str],
    roles: Sequence[str],
) -> None:
    ensure_in_org(organization, *teams)
    CampaignAudience.objects.for_org(organization).filter(campaign=campaign).delete()
    rules = [
        CampaignAudience(organization=organization, campaign=campaign, team=team) for team in teams
    ]
    rules += [
        CampaignAudience(organization=organization, campaign=campaign, location=location.strip())
        for location in dict.fromkeys(locations)
        if location.strip()
    ]
    rules += [
        CampaignAudience(organization=organization, campaign=campaign, role=role)
        for role in dict.fromkeys(roles)
    ]
    CampaignAudience.objects.bulk_create(rules)


@transaction.atomic
def campaign_create(
    *,
    organization: Organization,
    created_by: Membership,
    name: str,
    slug: str = "",
    items: Sequence[ContentItem] = (),
    teams: Sequence[Team] = (),
    locations: Sequence[str] = (),
    roles: Sequence[str] = (),
    **fields,
) -> Campaign:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    _validate_dates(fields.get("starts_at"), fields.get("ends_at"))
    campaign = Campaign.objects.create(
        organization=organization,
        name=name,
        slug=_unique_slug(organization=organization, name=name, slug=slug, exclude_pk=None),
        created_by=created_by.user,
        **fields,
    )
    _set_items(organization=organization, campaign=campaign, items=items)
    _set_audience(
        organization=organization, campaign=campaign, teams=teams, locations=locations, roles=roles
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    organization: Organization,
    campaign: Campaign,
    items: Sequence[ContentItem] | None = None,
    teams: Sequence[Team] | None = None,
    locations: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    slug: str | None = None,
    **fields,
) -> Campaign:
    # Read again under a lock: the caller's copy may predate a launch.
    campaign = Campaign.objects.for_org(organization).select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.ENDED:
        raise ValidationError(_("An ended campaign cannot be changed."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(campaign, name, value)
    _validate_dates(campaign.starts_at, campaign.ends_at)
    if slug is not None and slug != campaign.slug:
        # The slug is the utm_campaign of links already shared; it only changes before launch.
        if campaign.status != Campaign.Status.DRAFT:
            raise ValidationError(
                {"slug": _("The short name cannot change once the campaign is launched.")}
            )
        campaign.slug = _unique_slug(
            organization=organization, name=campaign.name, slug=slug, exclude_pk=campaign.pk
        )
    campaign.save()
    if items is not None:
        _set_items(organization=organization, campaign=campaign, items=items)
    if teams is not None or locations is not None or roles is not None:
        _set_audience(
            organization=organization,
            campaign=campaign,
            teams=teams or [],
            locations=locations or [],
            roles=roles or [],
        )
    return campaign


@transaction.atomic
def campaign_launch(*, organization: Organization, campaign: Campaign) -> Campaign:
    """Draft → scheduled (starts later) or active (starts now, announced at once)."""
    campaign = Campaign.objects.for_org(organization).select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("Only a draft campaign can be launched."))
    if not CampaignItem.objects.for_org(organization).filter(campaign=campaign).exists():
        raise ValidationError(_("Add at least one item for people to share before launching."))
    now = timezone.now()
    if campaign.ends_at and campaign.ends_at <= now:
        raise ValidationError({"ends_at": _("The end date has passed; choose a later one.")})
    campaign.launched_at = now
    if campaign.starts_at and campaign.starts_at > now:
        campaign.status = Campaign.Status.SCHEDULED
    else:
        campaign.status = Campaign.Status.ACTIVE
        campaign.starts_at = campaign.starts_at or now
    campaign.save(update_fields=["status", "launched_at", "starts_at"])
    onboarding_step_complete(organization=organization, step="launch_campaign")
    if campaign.status == Campaign.Status.ACTIVE:
        _announce_later(organization=organization, campaign=campaign)
    return campaign


def campaign_delete(*, organization: Organization, campaign: Campaign) -> None:
    deleted, _rows = (
        Campaign.objects.for_org(organization)
        .filter(pk=campaign.pk, status=Campaign.Status.DRAFT)
        .delete()
    )
    if not deleted:
        raise ValidationError(_("Only a draft campaign can be deleted; end it instead."))


def campaign_end(*, organization: Organization, campaign: Campaign) -> Campaign:
    updated = (
        Campaign.objects.for_org(organization)
        .filter(pk=campaign.pk, status__in=[Campaign.Status.SCHEDULED, Campaign.Status.ACTIVE])
        .update(status=Campaign.Status.ENDED, ends_at=timezone.now())
    )
    if not updated:
        raise ValidationError(_("Only a scheduled or active campaign can be ended."))
    campaign.refresh_from_db()
    return campaign


def campaign_statuses_advance(
    *, organization: Organization, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Start scheduled campaigns whose day has come (and announce them), end those past their end."""
    now = now or timezone.now()
    campaigns = Campaign.objects.for_org(organization)
    with transaction.atomic():
        starting = list(
            campaigns.filter(status=Campaign.Status.SCHEDULED, starts_at__lte=now).values_list(
                "pk", flat=True
            )
        )
        campaigns.filter(pk__in=starting).update(status=Campaign.Status.ACTIVE)
        ended = campaigns.filter(
            status__in=[Campaign.Status.SCHEDULED, Campaign.Status.ACTIVE], ends_at__lte=now
        ).update(status=Campaign.Status.ENDED)
        for campaign_id in starting:
            _announce_later(organization=organization, campaign_id=campaign_id)
    return {"started": len(starting), "ended": ended}


def _announce_later(
    *, organization: Organization, campaign: Campaign | None = None, campaign_id: int | None = None
) -> None:
    from ..tasks import announce_campaign

    enqueue_on_commit(
        announce_campaign, organization_id=organization.pk, campaign_id=campaign_id or campaign.pk
    )


def campaign_settings_update(*, organization: Organization, **fields) -> CampaignSettings:
    allowed = {
        "slack_webhook_url",
        "teams_webhook_url",
        "announce_by_email",
        "sharing_starts",
        "sharing_ends",
        "daily_share_limit",
        "short_domain",
        "company_connection",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    if (fields.get("sharing_starts") is None) != (fields.get("sharing_ends") is None):
        raise ValidationError(
            {"sharing_ends": _("Set both when sharing opens and when it closes, or neither.")}
        )
    if (
        fields.get("sharing_starts") is not None
        and fields["sharing_starts"] == fields["sharing_ends"]
    ):
        raise ValidationError(
            {"sharing_ends": _("Sharing must close at a different time than it opens.")}
        )
    company = fields.get("company_connection")
    ensure_in_org(organization, company)
    sharing_settings, _created = CampaignSettings.objects.get_or_create(organization=organization)
    for name, value in fields.items():
        setattr(sharing_settings, name, value)
    sharing_settings.full_clean(exclude=["organization"])
    sharing_settings.save()
    return sharing_settings
