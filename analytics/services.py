"""Writes of analytics that people make: the value formula, costs, budgets and keys.

Polling, rollups and conversions have their own modules (`polling`, `rollups`,
`conversions`); this is what the settings page changes, each change logged.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import transaction

from advocacy.audit.services import audit_record
from advocacy.tenancy.models import Membership, Organization
from analytics.conversions.record import conversion_key_create, conversion_key_revoke
from analytics.conversions.webhooks import webhook_secret_rotate
from analytics.engagement.polling import poll_failure_retry
from analytics.models import AnalyticsSettings, SettingsChange
from analytics.selectors import analytics_settings_get

__all__ = [
    "analytics_settings_update",
    "conversion_key_create",
    "conversion_key_revoke",
    "poll_failure_retry",
    "webhook_secret_rotate",
]

SETTINGS_FIELDS = (
    "cpm_by_network",
    "cost_per_click",
    "value_per_engagement",
    "monthly_program_cost",
    "read_budgets",
    "industry_benchmarks",
    "contribute_to_benchmarks",
    "webhook_url",
    "max_conversions_per_click",
)


def _as_text(value) -> str:
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@transaction.atomic
def analytics_settings_update(
    *, organization: Organization, actor: Membership | None, **fields
) -> AnalyticsSettings:
    """Change settings; every changed field is logged with its old and new value."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not analytics settings: {sorted(unknown)}")
    current = analytics_settings_get(organization=organization)
    changed = []
    for name, value in fields.items():
        old = getattr(current, name)
        if _as_text(old) != _as_text(value):
            SettingsChange.objects.create(
                organization=organization,
                changed_by=actor,
                field=name,
                old_value=_as_text(old),
                new_value=_as_text(value),
            )
            setattr(current, name, value)
            changed.append(name)
    if changed:
        current.save(update_fields=[*changed, "updated_at"])
        audit_record(
            organization=organization,
            actor=actor,
            action="analytics.value_formula_changed",
            details={"changed": changed},
        )
    if current.webhook_url and not current.webhook_secret_ciphertext:
        webhook_secret_rotate(organization=organization, analytics_settings=current)
    return current
