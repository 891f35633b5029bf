"""Engagement counters for posts made through a connection, within the
network's rate limits (the analytics poller calls this)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization
from social.limits import bucket_name, buckets, observed_responses, sync_from
from social.models import AppReadsRefused, Connection
from social.providers.base import (
    MetricsSnapshot,
    NotSupported,
    RateLimited,
    ReauthRequired,
    SocialProvider,
)
from social.providers.x import PLAN_WITHOUT_READS

from .tokens import connection_provider, with_token

# How long an app's "plan refuses reads" answer stands before one connection asks again.
READS_RECHECK_AFTER = timedelta(days=1)


def metrics_fetch(
    *, organization: Organization, connection: Connection, external_ids: Sequence[str]
) -> list[MetricsSnapshot]:
    """Snapshots for `external_ids` (deleted posts are left out).

    Raises RateLimited (with `retry_at`) when our bucket or the network says
    wait, ReauthRequired when the connection lost its access (polling pauses),
    Transient for faults worth retrying; the caller reschedules. NotSupported
    when the app's plan refuses reads: remembered for the whole app (every
    connection with its client id) so the others are not asked at all."""
    ensure_in_org(organization, connection)
    if not connection.is_usable:
        raise ReauthRequired("This account needs reconnecting", network=connection.network)
    ids = [i for i in dict.fromkeys(external_ids) if i]
    if not ids:
        return []
    provider = connection_provider(connection)
    refused = _reads_refused(provider)
    if refused is not None:
        raise NotSupported(
            refused.reason or f"{connection.network}: metrics are unavailable",
            status=403,
            network=connection.network,
            code=PLAN_WITHOUT_READS,
        )
    bucket = bucket_name(connection, "metrics")
    size = max(1, provider.max_metrics_batch)
    out: list[MetricsSnapshot] = []
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        allowed, retry_at = buckets().take(bucket)
        if not allowed:
            raise RateLimited(
                f"{connection.network} metrics bucket is empty",
                retry_at=retry_at or timezone.now() + timedelta(minutes=1),
                bucket=bucket,
                network=connection.network,
            )
        with observed_responses(provider) as seen:
            try:
                out += with_token(
                    organization=organization,
                    connection=connection,
                    call=lambda token, batch=batch: provider.fetch_metrics(token, batch),
                )
            except RateLimited as err:
                buckets().cooldown(bucket, err.retry_at)
                raise
            except NotSupported as err:
                if err.code == PLAN_WITHOUT_READS:
                    _remember_reads_refused(provider, err)
                raise
            finally:
                sync_from(provider, bucket, seen)
    return out


def _reads_refused(provider: SocialProvider) -> AppReadsRefused | None:
    """The app's standing refusal, if a connection was told less than a day ago."""
    client_id = provider.config.client_id
    if not client_id:
        return None
    return AppReadsRefused.objects.filter(
        network=provider.key,
        client_id=client_id,
        refused_at__gt=timezone.now() - READS_RECHECK_AFTER,
    ).first()


def _remember_reads_refused(provider: SocialProvider, err: NotSupported) -> None:
    if provider.config.client_id:
        AppReadsRefused.objects.update_or_create(
            network=provider.key,
            client_id=provider.config.client_id,
            defaults={"refused_at": timezone.now(), "reason": err.message[:500]},
        )


def app_reads_refused(*, network: str, client_id: str) -> bool:
    """Whether this app's plan currently refuses reads (for labels and checks)."""
    return AppReadsRefused.objects.filter(
        network=network,
        client_id=client_id,
        refused_at__gt=timezone.now() - READS_RECHECK_AFTER,
    ).exists()
