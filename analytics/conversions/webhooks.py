"""Handing conversions to the organization's CRM: a JSON POST signed with HMAC-SHA256.

Headers: `X-Chorus-Timestamp` (Unix seconds) and `X-Chorus-Signature:
sha256=<hex>` over `<timestamp>.<body>` with the organization's webhook
secret. The receiver recomputes it and rejects old timestamps (replays).
`X-Chorus-Delivery` is stable across retries, so a receiver can deduplicate.

Only public http(s) addresses are called, through the core's outbound gate
(`advocacy.outbound`); a refused address fails the delivery at once, an
unreachable one is retried.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import random
import secrets
import time

from django.utils import timezone

from advocacy import outbound
from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Organization
from analytics.models import AnalyticsSettings, Conversion, WebhookDelivery
from social.crypto import decrypt_text, encrypt_text

TIMEOUT = 10
MAX_ATTEMPTS = 6
FIRST_RETRY = datetime.timedelta(seconds=30)
LAST_RETRY = datetime.timedelta(hours=2)


class WebhookFailed(Exception):
    """The CRM answered with an error; worth retrying later."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_secret_rotate(
    *, organization: Organization, analytics_settings: AnalyticsSettings
) -> str:
    secret = "whsec_" + secrets.token_urlsafe(32)
    analytics_settings.webhook_secret_ciphertext = encrypt_text(secret)
    analytics_settings.save(update_fields=["webhook_secret_ciphertext", "updated_at"])
    return secret


def webhook_secret(analytics_settings: AnalyticsSettings) -> str:
    if not analytics_settings.webhook_secret_ciphertext:
        return ""
    return decrypt_text(analytics_settings.webhook_secret_ciphertext)


def crm_post(url: str, *, body: bytes, headers: dict[str, str]) -> outbound.Response:
    """One POST through the core's outbound gate: a public address only, connected to
    as checked, no redirects, time and size capped. Raises outbound.OutboundError."""
    return outbound.request(
        "POST", url, body=body, headers=headers, timeout=TIMEOUT, max_bytes=64 * 1024
    )


def payload(conversion: Conversion) -> dict:
    return {
        "type": "conversion.recorded",
        "conversion": {
            "id": conversion.pk,
            "type": conversion.kind,
            "external_id": conversion.external_id,
            "value": str(conversion.value),
            "currency": conversion.currency,
            "click_id": conversion.click_id,
            "occurred_at": conversion.occurred_at.isoformat(),
            "source": conversion.source,
        },
        "attribution": {
            "share_id": conversion.share_id,
            "advocate_id": conversion.membership_id,
            "campaign_id": conversion.campaign_id,
            "content_id": conversion.content_id,
            "network": conversion.network,
        },
    }


def delivery_create(*, organization: Organization, conversion_id: int) -> WebhookDelivery | None:
    """The delivery of a newly recorded conversion, when the organization has a webhook;
    None when it has none, or when the conversion already has its delivery."""
    analytics_settings = AnalyticsSettings.objects.for_org(organization).first()
    if analytics_settings is None or not analytics_settings.webhook_url:
        return None
    conversion = Conversion.objects.for_org(organization).filter(pk=conversion_id).first()
    if conversion is None:
        return None
    delivery, created = WebhookDelivery.objects.for_org(organization).get_or_create(
        organization=organization, conversion=conversion
    )
    return delivery if created else None


def delivery_send(*, organization: Organization, delivery: WebhookDelivery) -> bool:
    """POST once; True when delivered. Raises requests errors for the caller to retry."""
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return True
    analytics_settings = AnalyticsSettings.objects.for_org(organization).first()
    if analytics_settings is None or not analytics_settings.webhook_url:
        return False
    conversion = Conversion.objects.for_org(organization).get(pk=delivery.conversion_id)
    body = json.dumps(payload(conversion), separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    WebhookDelivery.objects.for_org(organization).filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1
    )
    delivery.attempts += 1
    try:
        response = crm_post(
            analytics_settings.webhook_url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Chorus-Webhook/1",
                "X-Chorus-Timestamp": timestamp,
                "X-Chorus-Delivery": str(delivery.pk),
                "X-Chorus-Signature": sign(webhook_secret(analytics_settings), timestamp, body),
            },
        )
    except (outbound.Refused, outbound.InvalidURL) as error:
        delivery_fail(organization=organization, delivery=delivery, error=str(error))
        return False
    if not 200 <= response.status_code < 300:
        raise WebhookFailed(f"the webhook answered {response.status_code}")
    WebhookDelivery.objects.for_org(organization).filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.DELIVERED,
        delivered_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
    )
    return True


def delivery_fail(*, organization: Organization, delivery: WebhookDelivery, error: str) -> None:
    WebhookDelivery.objects.for_org(organization).filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, last_error=error[:500], next_attempt_at=None
    )


def delivery_attempt(
    *, organization: Organization, delivery: WebhookDelivery, now: datetime.datetime | None = None
) -> bool:
    """Try once; on failure come back later (exponential backoff with jitter), and after
    `MAX_ATTEMPTS` leave the delivery failed for admins to see."""
    try:
        return delivery_send(organization=organization, delivery=delivery)
    except (outbound.OutboundError, WebhookFailed) as error:
        now = now or timezone.now()
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery_fail(organization=organization, delivery=delivery, error=str(error))
            return False
        wait = min(LAST_RETRY, FIRST_RETRY * 2 ** (delivery.attempts - 1)) * random.uniform(
            0.8, 1.2
        )
        WebhookDelivery.objects.for_org(organization).filter(pk=delivery.pk).update(
            last_error=str(error)[:500], next_attempt_at=now + wait
        )
        return False


def deliveries_due(
    *, now: datetime.datetime | None = None, limit: int = 500
) -> list[tuple[int, int]]:
    """(organization id, delivery id) of pending deliveries whose retry time has come."""
    now = now or timezone.now()
    with system_context("webhook retries"):
        return list(
            WebhookDelivery.objects.filter(
                status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
            )
            .order_by("next_attempt_at")
            .values_list("organization_id", "id")[:limit]
        )
