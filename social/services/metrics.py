"""Engagement counters for posts made through a connection, within the
network's rate limits (the analytics poller calls this)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization
from social.limits import bucket_name, buckets, observed_responses, sync_from
from social.models import Connection
from social.providers.base import MetricsSnapshot, RateLimited, ReauthRequired

from .tokens import connection_provider, with_token


def metrics_fetch(
    *, organization: Organization, connection: Connection, external_ids: Sequence[str]
) -> list[MetricsSnapshot]:
    """Snapshots for `external_ids` (deleted posts are left out).

    Raises RateLimited (with `retry_at`) when our bucket or the network says
    wait, ReauthRequired when the connection lost its access (polling pauses),
    Transient for faults worth retrying; the caller reschedules."""
    ensure_in_org(organization, connection)
    if not connection.is_usable:
        raise ReauthRequired("This account needs reconnecting", network=connection.network)
    ids = [i for i in dict.fromkeys(external_ids) if i]
    if not ids:
        return []
    provider = connection_provider(connection)
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
            finally:
                sync_from(provider, bucket, seen)
    return out
