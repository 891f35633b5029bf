"""Celery tasks of the social app: ids in, a service call inside the org."""

from __future__ import annotations

from celery import shared_task

from advocacy import events
from advocacy.tenancy.context import org_context, system_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.tasks import OrgTask, enqueue_on_commit, task_organization
from social import selectors, services
from social.models import ConnectAttempt, Connection, ConnectionEvent, Publication

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 120,
    "time_limit": 180,
}


@shared_task(base=OrgTask, name="social.warn_expiring_for_org", **TASK_OPTIONS)
def warn_expiring_for_org(*, organization_id: int) -> int:
    organization = task_organization()
    return services.connection_expiry_warn(organization=organization)


@shared_task(base=OrgTask, name="social.reconcile_publication", **TASK_OPTIONS)
def reconcile_publication(*, organization_id: int, publication_id: int) -> str | None:
    organization = task_organization()
    publication = Publication.objects.for_org(organization).filter(pk=publication_id).first()
    if publication is None:
        return None
    settled = services.publication_reconcile(organization=organization, publication=publication)
    events.publish(
        events.PublicationSettled(
            organization_id=organization.pk, publication_id=settled.pk, status=settled.status
        )
    )
    return settled.status


@shared_task(name="social.warn_expiring_connections", soft_time_limit=60, time_limit=90)
def warn_expiring_connections() -> int:
    """Beat: one task per organization (each runs inside its own org)."""
    with system_context("social: fan out expiry warnings"):
        ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    for organization_id in ids:
        warn_expiring_for_org.delay(organization_id=organization_id)
    return len(ids)


@shared_task(name="social.reconcile_unknown_publications", soft_time_limit=60, time_limit=90)
def reconcile_unknown_publications() -> int:
    """Beat: ask the networks about posts whose outcome was lost."""
    with system_context("social: list organizations to reconcile"):
        organizations = list(Organization.objects.filter(is_active=True))
    queued = 0
    for organization in organizations:
        with org_context(organization):
            for publication_id in selectors.publication_ids_to_reconcile(organization=organization):
                enqueue_on_commit(
                    reconcile_publication,
                    organization_id=organization.pk,
                    publication_id=publication_id,
                )
                queued += 1
    return queued


@shared_task(base=OrgTask, name="social.erase_member_connections", **TASK_OPTIONS)
def erase_member_connections(*, organization_id: int, membership_id: int, user_id: int) -> int:
    """A person deleted their account (`AccountErased`): revoke each of their grants at
    the network and forget the tokens, the profile and the connection history. Idempotent: a rerun finds nothing
    left to revoke. Connections stay as empty rows, since publications point at them."""
    organization = task_organization()
    erased = 0
    for connection in Connection.objects.for_org(organization).filter(membership_id=membership_id):
        if connection.token_ciphertext:
            services.connection_disconnect(
                organization=organization, connection=connection, actor=None
            )
        Connection.objects.for_org(organization).filter(pk=connection.pk).update(
            status=Connection.Status.DISCONNECTED,
            token_ciphertext="",
            expires_at=None,
            external_id=f"erased-{connection.pk}",
            handle="",
            display_name="",
            profile_url="",
            followers=None,
            scopes="",
            last_error="",
        )
        erased += 1
    # The health screen's history of their connections (handles, error texts) goes too,
    # and so do their connection attempts (the handles and servers they typed).
    ConnectionEvent.objects.for_org(organization).filter(membership_id=membership_id).delete()
    ConnectAttempt.objects.for_org(organization).filter(membership_id=membership_id).delete()
    return erased


@shared_task(base=OrgTask, name="social.run_connect_attempt", **TASK_OPTIONS)
def run_connect_attempt(*, organization_id: int, attempt_id: int) -> str | None:
    """The outside call of one connection attempt (Mastodon registration, Bluesky
    sign-in, code exchange); the person's browser waits for its outcome."""
    organization = task_organization()
    return services.connect_attempt_run(organization=organization, attempt_id=attempt_id)
