"""The program's setup: rules, built-in badges, company values, preferences, the feed token."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Organization

from ..models import Badge, CompanyValue, RecognitionPreference, RecognitionSettings, _feed_token

SETTINGS_FIELDS = (
    "points_per_share",
    "points_per_network",
    "clicks_per_milestone",
    "points_per_click_milestone",
    "points_per_course",
    "points_per_pulse",
    "points_per_shoutout",
    "daily_cap",
    "shoutouts_per_day",
    "point_value",
    "executives_on_own_board",
    "quick_delete_hours",
)


def _builtin_badges() -> list[dict]:
    m = Badge.Metric
    return [
        {
            "key": "first-share",
            "name": _("First share"),
            "icon": "send",
            "metric": m.SHARES,
            "threshold": 1,
            "description": _("Shared the program's content for the first time."),
        },
        {
            "key": "shares-10",
            "name": _("10 shares"),
            "icon": "megaphone",
            "metric": m.SHARES,
            "threshold": 10,
            "description": _("Shared ten times."),
        },
        {
            "key": "shares-50",
            "name": _("50 shares"),
            "icon": "megaphone-fill",
            "metric": m.SHARES,
            "threshold": 50,
            "description": _("Shared fifty times."),
        },
        {
            "key": "shares-100",
            "name": _("100 shares"),
            "icon": "rocket-takeoff",
            "metric": m.SHARES,
            "threshold": 100,
            "description": _("Shared a hundred times."),
        },
        {
            "key": "clicks-100",
            "name": _("100 clicks"),
            "icon": "cursor",
            "metric": m.CLICKS,
            "threshold": 100,
            "description": _("Your shares brought a hundred visits."),
        },
        {
            "key": "streak-4",
            "name": _("4-week streak"),
            "icon": "fire",
            "metric": m.STREAK_WEEKS,
            "threshold": 4,
            "description": _("Shared every week for four weeks in a row."),
        },
        {
            "key": "all-courses",
            "name": _("Fully trained"),
            "icon": "mortarboard",
            "metric": m.ALL_COURSES,
            "threshold": 1,
            "description": _("Completed every course of the program."),
        },
    ]


def _default_values() -> list[tuple[str, str]]:
    return [
        (_("Customer first"), _("We go the extra mile for our customers.")),
        (_("Teamwork"), _("We win together.")),
        (_("Ownership"), _("We do what we say.")),
    ]


def settings_ensure(*, organization: Organization) -> RecognitionSettings:
    """The organization's rules, created with the defaults and built-in badges on first use."""
    existing = RecognitionSettings.objects.for_org(organization).first()
    if existing is not None:
        return existing
    with transaction.atomic(), translation.override(organization.default_language):
        settings, created = RecognitionSettings.objects.get_or_create(organization=organization)
        if created:
            for spec in _builtin_badges():
                key = spec.pop("key")
                Badge.objects.get_or_create(organization=organization, key=key, defaults=spec)
            for name, description in _default_values():
                CompanyValue.objects.get_or_create(
                    organization=organization, name=name, defaults={"description": description}
                )
    return settings


def settings_update(*, organization: Organization, **fields) -> RecognitionSettings:
    settings = settings_ensure(organization=organization)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a rule: {sorted(unknown)}")
    networks = fields.get("points_per_network")
    if networks is not None and not (
        isinstance(networks, dict)
        and all(
            isinstance(k, str) and isinstance(v, int) and 0 <= v <= 10_000
            for k, v in networks.items()
        )
    ):
        raise ValidationError(
            {"points_per_network": _('Give whole points per network, e.g. {"linkedin": 15}.')}
        )
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["organization"])
    settings.save()
    return settings


def feed_token_rotate(*, organization: Organization) -> RecognitionSettings:
    settings = settings_ensure(organization=organization)
    settings.feed_token = _feed_token()
    settings.save(update_fields=["feed_token"])
    return settings


def badge_create(
    *,
    organization: Organization,
    name: str,
    metric: str,
    icon: str = "award",
    threshold: int = 1,
    description: str = "",
) -> Badge:
    settings_ensure(organization=organization)
    if metric not in Badge.Metric.values or metric == Badge.Metric.ALL_COURSES:
        raise ValidationError({"metric": _("Choose what the badge measures.")})
    if threshold < 1:
        raise ValidationError({"threshold": _("The threshold must be at least 1.")})
    if Badge.objects.for_org(organization).filter(name=name).exists():
        raise ValidationError({"name": _("A badge with this name already exists.")})
    badge = Badge(
        organization=organization,
        name=name,
        icon=icon or "award",
        metric=metric,
        threshold=threshold,
        description=description,
    )
    badge.full_clean(exclude=["organization"])
    badge.save()
    return badge


def company_value_create(
    *, organization: Organization, name: str, description: str = ""
) -> CompanyValue:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the value a name.")})
    if CompanyValue.objects.for_org(organization).filter(name=name).exists():
        raise ValidationError({"name": _("This value already exists.")})
    return CompanyValue.objects.create(
        organization=organization, name=name, description=description
    )


def preference_get(*, organization: Organization, membership: Membership) -> RecognitionPreference:
    preference, _created = RecognitionPreference.objects.get_or_create(
        organization=organization, membership=membership
    )
    return preference


def preference_update(
    *,
    organization: Organization,
    membership: Membership,
    show_on_leaderboards: bool,
    receive_newsletter: bool,
) -> RecognitionPreference:
    preference = preference_get(organization=organization, membership=membership)
    preference.show_on_leaderboards = show_on_leaderboards
    preference.receive_newsletter = receive_newsletter
    preference.save(update_fields=["show_on_leaderboards", "receive_newsletter"])
    return preference
