"""Conversions: what a click on a share led to on the company's site.

The redirect appends `chorus_click=<click id>` to the target. The company's site
hands that id back, with the conversion's type and value, through the
JavaScript snippet and pixel (`/t/<public key>.js`, `/t/p.gif`) or from its
servers (`POST /api/v1/conversions`, authenticated by an organization key).

`conversion_record` attributes the conversion through the stored click
(click → share → advocate → campaign → content), refuses click ids that do
not exist in this organization (unknown, forged, or another organization's,
all with the same answer) or that are older than the attribution window,
deduplicates on (click id, type, external id), adds it to the rollups,
publishes `ConversionRecorded`, on which the CRM webhook is handed the conversion.

The pixel's values come from a browser and can be tampered with; the key-
authenticated server API is the one to trust for revenue.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy import events
from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Organization
from analytics.models import (
    AnalyticsSettings,
    ClickEvent,
    Conversion,
    ConversionKey,
)
from analytics.rollups.facts import Fact, conversion_metrics
from analytics.rollups.writers import rollups_add
from campaigns.models import Share

ATTRIBUTION_WINDOW = datetime.timedelta(days=90)
MAX_BODY_BYTES = 8 * 1024
MAX_VALUE = Decimal("9999999999.99")
KIND = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
CLICK_ID = re.compile(r"^[A-Za-z0-9_-]{8,24}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
KEY_PREFIX = "chk_"
DEFAULT_CONVERSIONS_PER_CLICK = 5


class ConversionError(Exception):
    """A conversion that is refused; `code` is stable for machines, `message` is for people."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status


@dataclass(frozen=True)
class ConversionInput:
    click_id: str
    kind: str
    value: Decimal
    currency: str
    external_id: str
    occurred_at: datetime.datetime


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ConversionError("invalid", _("“%(field)s” must be text.") % {"field": name})
    value = str(value).strip()
    if len(value) > limit:
        raise ConversionError(
            "invalid",
            _("“%(field)s” is too long (at most %(limit)s characters).")
            % {"field": name, "limit": limit},
        )
    return value


def conversion_input_parse(data: dict, *, default_currency: str) -> ConversionInput:
    """Validate what a caller sent; raises ConversionError with a clear message."""
    if not isinstance(data, dict):
        raise ConversionError("invalid", _("Send one conversion as a JSON object."))
    click_id = _text(data, "click_id", 24)
    if not click_id:
        raise ConversionError("missing_click", _("The click id (chorus_click) is missing."))
    if not CLICK_ID.match(click_id):
        raise ConversionError("unknown_click", _("This click id is not one of ours."))
    kind = _text(data, "type", 40).lower() or "lead"
    if not KIND.match(kind):
        raise ConversionError(
            "invalid", _("The type may use lower-case letters, digits, “.”, “_” and “-”.")
        )
    raw_value = data.get("value", 0) or 0
    try:
        value = Decimal(str(raw_value))
        if not value.is_finite():  # NaN and Infinity are not amounts
            raise InvalidOperation
        value = value.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ConversionError("invalid", _("The value must be a number.")) from None
    if value < 0 or value > MAX_VALUE:
        raise ConversionError("invalid", _("The value must be between 0 and 9,999,999,999.99."))
    currency = (_text(data, "currency", 3) or default_currency).upper()
    if not CURRENCY.match(currency):
        raise ConversionError(
            "invalid", _("The currency must be a three-letter code such as USD or IDR.")
        )
    occurred_at = timezone.now()
    if data.get("occurred_at"):
        try:
            occurred_at = datetime.datetime.fromisoformat(
                _text(data, "occurred_at", 40).replace("Z", "+00:00")
            )
        except ValueError:
            raise ConversionError("invalid", _("“occurred_at” must be an ISO 8601 time.")) from None
        if occurred_at.tzinfo is None:
            occurred_at = occurred_at.replace(tzinfo=datetime.UTC)
        if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
            raise ConversionError("invalid", _("“occurred_at” is in the future."))
    return ConversionInput(
        click_id=click_id,
        kind=kind,
        value=value,
        currency=currency,
        external_id=_text(data, "external_id", 100),
        occurred_at=occurred_at,
    )


# --- organization keys -----------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def conversion_key_create(
    *, organization: Organization, actor, name: str
) -> tuple[ConversionKey, str]:
    """A new key; the raw key is returned once and only its hash is kept."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ConversionKey.objects.create(
        organization=organization,
        name=name.strip()[:100] or str(_("Server key")),
        prefix=prefix,
        key_hash=_hash(secret),
        created_by=actor,
    )
    return key, f"{KEY_PREFIX}{prefix}_{secret}"


def conversion_key_revoke(*, organization: Organization, key: ConversionKey) -> None:
    ConversionKey.objects.for_org(organization).filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def organization_for_key(raw: str) -> Organization | None:
    """The organization a raw server key belongs to, or None (unknown, wrong or revoked)."""
    if not raw.startswith(KEY_PREFIX) or raw.count("_") < 2:
        return None
    prefix, _sep, secret = raw[len(KEY_PREFIX) :].partition("_")
    # The key arrives before any organization is known: the lookup spans them, audited.
    with system_context("conversion key"):
        key = (
            ConversionKey.objects.select_related("organization")
            .filter(prefix=prefix, revoked_at__isnull=True, organization__is_active=True)
            .first()
        )
        if key is None or not secrets.compare_digest(key.key_hash, _hash(secret)):
            return None
        ConversionKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.organization


def organization_for_public_key(public_key: str) -> Organization | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,24}", public_key or ""):
        return None
    with system_context("conversion snippet"):
        found = (
            AnalyticsSettings.objects.select_related("organization")
            .filter(public_key=public_key, organization__is_active=True)
            .first()
        )
    return found.organization if found else None


# --- recording ---------------------------------------------------------------------------


def _click_cap_check(organization: Organization, click_pk: int, click_id: str) -> None:
    """At most the organization's cap of conversions per click (so a replayed pixel cannot
    pile up revenue and webhooks); the click row is locked so two at once count right."""
    ClickEvent.objects.for_org(organization).select_for_update().filter(pk=click_pk).exists()
    cap = (
        AnalyticsSettings.objects.for_org(organization)
        .values_list("max_conversions_per_click", flat=True)
        .first()
    ) or DEFAULT_CONVERSIONS_PER_CLICK
    if Conversion.objects.for_org(organization).filter(click_id=click_id).count() >= cap:
        raise ConversionError(
            "click_cap",
            _("This click already has %(cap)s conversions, the most this organization counts.")
            % {"cap": cap},
            409,
        )


def conversion_record(
    *, organization: Organization, data: ConversionInput, source: str
) -> tuple[Conversion, bool]:
    """(conversion, created). A repeat of the same (click, type, external id) returns the first."""
    click = (
        ClickEvent.objects.for_org(organization)
        .filter(click_id=data.click_id)
        .values_list("id", "share_id", "clicked_at")
        .first()
    )
    if click is None:
        raise ConversionError(
            "unknown_click",
            _(
                "This click id is unknown to this organization. Clicks take a few seconds to arrive: "
                "retry later if the click was just made."
            ),
        )
    click_pk, share_id, clicked_at = click
    if data.occurred_at < clicked_at - datetime.timedelta(minutes=5):
        raise ConversionError("before_click", _("The conversion is dated before its click."))
    if data.occurred_at - clicked_at > ATTRIBUTION_WINDOW:
        raise ConversionError(
            "expired_click", _("This click is older than the 90-day attribution window.")
        )
    existing = (
        Conversion.objects.for_org(organization)
        .filter(click_id=data.click_id, kind=data.kind, external_id=data.external_id)
        .first()
    )
    if existing is not None:
        return existing, False
    fact = (
        Share.objects.for_org(organization)
        .filter(pk=share_id)
        .only("membership_id", "campaign_id", "content_id", "channel")
        .first()
    )
    if fact is None:
        raise ConversionError("unknown_click", _("This click id is unknown to this organization."))
    try:
        with transaction.atomic():
            _click_cap_check(organization, click_pk, data.click_id)
            conversion = Conversion.objects.create(
                organization=organization,
                click_event_id=click_pk,
                click_id=data.click_id,
                share_id=share_id,
                membership_id=fact.membership_id,
                campaign_id=fact.campaign_id,
                content_id=fact.content_id,
                network=fact.channel,
                kind=data.kind,
                external_id=data.external_id,
                value=data.value,
                currency=data.currency,
                source=source,
                occurred_at=data.occurred_at,
            )
            rollups_add(
                [
                    Fact(
                        share_id,
                        data.occurred_at,
                        conversion_metrics(
                            value=data.value,
                            currency=data.currency,
                            org_currency=organization.currency,
                        ),
                    )
                ]
            )
            # The CRM webhook is its subscriber (analytics.handlers), after commit.
            events.publish(
                events.ConversionRecorded(
                    organization_id=organization.pk,
                    conversion_id=conversion.pk,
                    membership_id=fact.membership_id,
                )
            )
    except IntegrityError:  # the same conversion, sent twice at once: the other one won
        existing = Conversion.objects.for_org(organization).get(
            click_id=data.click_id, kind=data.kind, external_id=data.external_id
        )
        return existing, False
    return conversion, True
