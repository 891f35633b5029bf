"""Writes for SAML sign-in: the connection's settings, outcomes, the replay cache, and
just-in-time membership. Each owns its transaction and its audit entry."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import outbound
from advocacy.audit.services import audit_record
from advocacy.tenancy.models import ROLE_RANK, Membership, Organization, Role, Team
from advocacy.tenancy.services import membership_add

from .config import MetadataError, parse_metadata
from .models import MetadataStatus, SamlAssertionSeen, SamlConnection, SamlSignIn

# Just-in-time members get at most this rank (manager or curator); an asserted "admin" or
# "owner" becomes an employee: an identity provider must not hand out the keys to Chorus.
JIT_MAX_RANK = 1
OUTCOMES_KEPT = 20
METADATA_MAX_BYTES = 1_000_000
SETTING_FIELDS = (
    "enabled",
    "attribute_email",
    "attribute_first_name",
    "attribute_last_name",
    "attribute_team",
    "attribute_role",
    "just_in_time",
)


def saml_metadata_fetch(*, url: str) -> str:
    """Fetch IdP metadata through the outbound gate (private addresses refused, size capped)."""
    try:
        response = outbound.request(
            "GET", url, max_bytes=METADATA_MAX_BYTES, max_redirects=3, timeout=10
        )
    except outbound.InvalidURL as exc:
        raise MetadataError(
            _("This metadata URL cannot be used: %(error)s") % {"error": exc}
        ) from exc
    except outbound.OutboundError as exc:
        raise MetadataError(_("The address could not be reached.")) from exc
    if not response.ok:
        raise MetadataError(
            _("The metadata URL answered with HTTP status %(status)s.")
            % {"status": response.status}
        )
    return response.text


def _idp_apply(connection: SamlConnection, idp, metadata_xml: str, metadata_url: str) -> None:
    connection.idp_entity_id = idp.entity_id
    connection.idp_sso_url = idp.sso_url
    connection.idp_certificates = "\n\n".join(idp.certificates)
    connection.idp_metadata_xml = metadata_xml
    connection.idp_metadata_url = metadata_url


def _fetch_queue(connection: SamlConnection) -> None:
    """Mark the connection as waiting for its metadata and queue the fetch once committed."""
    from advocacy.tenancy.tasks import enqueue_on_commit

    from .tasks import saml_metadata_fetch_task

    connection.metadata_status = MetadataStatus.PENDING
    connection.metadata_error = ""
    connection.metadata_requested_at = timezone.now()
    connection.save(
        update_fields=["metadata_status", "metadata_error", "metadata_requested_at", "updated_at"]
    )
    enqueue_on_commit(
        saml_metadata_fetch_task,
        organization_id=connection.organization_id,
        connection_id=connection.pk,
        url=connection.idp_metadata_url,
    )


@transaction.atomic
def saml_connection_update(
    *,
    organization: Organization,
    actor,
    metadata_xml: str | None = None,
    metadata_url: str | None = None,
    **fields,
) -> SamlConnection:
    """Save the organization's SAML settings. New metadata XML replaces the identity provider
    at once; metadata that cannot be used raises MetadataError and nothing is saved. A
    metadata URL is stored and fetched by a task (never inside the web request): the page
    shows "fetching", then the identity provider or a worded error."""
    unknown = set(fields) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"not SAML settings: {sorted(unknown)}")
    connection = SamlConnection.objects.for_org(organization).first() or SamlConnection(
        organization=organization
    )
    changed: dict = {}
    fetch = False
    if metadata_xml:
        idp = parse_metadata(metadata_xml)
        _idp_apply(connection, idp, metadata_xml, "")
        connection.metadata_status = MetadataStatus.LOADED
        connection.metadata_error = ""
        changed["identity_provider"] = idp.entity_id
    elif metadata_url:
        fetch = True
        if connection.idp_metadata_url != metadata_url:
            changed["metadata_url"] = metadata_url
        connection.idp_metadata_url = metadata_url
    for name, value in fields.items():
        if getattr(connection, name) != value:
            changed[name] = value
            setattr(connection, name, value)
    if connection.enabled and not connection.idp_entity_id and not fetch:
        raise MetadataError(_("Add the identity provider's metadata before turning sign-in on."))
    connection.updated_at = timezone.now()
    connection.save()
    if fetch:
        _fetch_queue(connection)
    if changed:
        audit_record(
            organization=organization,
            actor=actor,
            action="saml.settings_changed",
            target=("identity.samlconnection", connection.pk, connection.idp_entity_id or "SAML"),
            details=changed,
        )
    return connection


def saml_metadata_refetch(*, organization: Organization, connection: SamlConnection) -> None:
    """The "test" action for metadata that came from a URL: fetch it again, in a task."""
    with transaction.atomic():
        _fetch_queue(connection)


def saml_metadata_load(*, organization: Organization, connection_id: int, url: str) -> str:
    """Run by the task: fetch the metadata URL through the outbound gate, parse it, and store
    the identity provider, or the worded error, on the connection. Idempotent: a fetch for a
    URL the owner has since replaced does nothing; running it again stores the same result."""
    connection = SamlConnection.objects.for_org(organization).filter(pk=connection_id).first()
    if connection is None or connection.idp_metadata_url != url:
        return "stale"
    try:
        xml = saml_metadata_fetch(url=url)
        idp = parse_metadata(xml)
    except MetadataError as exc:
        with transaction.atomic():
            connection = (
                SamlConnection.objects.for_org(organization)
                .select_for_update()
                .get(pk=connection_id)
            )
            if connection.idp_metadata_url != url:
                return "stale"
            connection.metadata_status = MetadataStatus.FAILED
            connection.metadata_error = str(exc)[:500]
            connection.save(update_fields=["metadata_status", "metadata_error"])
        return "failed"
    with transaction.atomic():
        connection = (
            SamlConnection.objects.for_org(organization).select_for_update().get(pk=connection_id)
        )
        if connection.idp_metadata_url != url:
            return "stale"
        before = (connection.idp_entity_id, connection.idp_sso_url, connection.idp_certificates)
        _idp_apply(connection, idp, xml, url)
        connection.metadata_status = MetadataStatus.LOADED
        connection.metadata_error = ""
        connection.save()
        after = (connection.idp_entity_id, connection.idp_sso_url, connection.idp_certificates)
        if before != after:
            audit_record(
                organization=organization,
                actor=None,
                action="saml.settings_changed",
                target=("identity.samlconnection", connection.pk, connection.idp_entity_id),
                details={"identity_provider": idp.entity_id, "metadata_url": url},
            )
    return "loaded"


def saml_outcome_record(
    *,
    organization: Organization,
    succeeded: bool,
    reason: str,
    detail: str = "",
    email: str = "",
) -> SamlSignIn:
    """Keep the outcome for the admin screen; a refusal also goes to the audit trail."""
    with transaction.atomic():
        outcome = SamlSignIn.objects.create(
            organization=organization,
            succeeded=succeeded,
            reason=reason,
            detail=detail[:500],
            email=email[:254],
        )
        old = SamlSignIn.objects.for_org(organization).values_list("pk", flat=True)[OUTCOMES_KEPT:]
        SamlSignIn.objects.for_org(organization).filter(pk__in=list(old)).delete()
        if not succeeded:
            audit_record(
                organization=organization,
                actor=None,
                action="saml.sign_in_refused",
                target=("identity.samlsignin", outcome.pk, email or reason),
                details={"reason": reason, "detail": detail[:500], "email": email},
            )
    return outcome


def saml_assertion_claim(
    *, organization: Organization, assertion_id: str, expires_at: dt.datetime
) -> bool:
    """True the first time an assertion ID is presented, False for a replay. The unique
    constraint decides, so two simultaneous posts of one assertion cannot both win."""
    now = timezone.now()
    SamlAssertionSeen.objects.for_org(organization).filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            SamlAssertionSeen.objects.create(
                organization=organization, assertion_id=assertion_id[:256], expires_at=expires_at
            )
    except IntegrityError:
        return False
    return True


def jit_role(value: str) -> str:
    value = (value or "").strip().lower()
    if value in Role.values and ROLE_RANK[Role(value)] <= JIT_MAX_RANK:
        return value
    return Role.EMPLOYEE


@transaction.atomic
def saml_member_join(*, organization: Organization, user, attributes: dict[str, str]) -> Membership:
    """Just-in-time membership for a person the identity provider vouched for: the mapped
    role (at most manager or curator) and the team of that name, if the organization has one."""
    team_name = (attributes.get("team") or "").strip()
    team = (
        Team.objects.for_org(organization).filter(name__iexact=team_name).first()
        if team_name
        else None
    )
    role = jit_role(attributes.get("role", ""))
    membership = membership_add(organization=organization, user=user, role=role, team=team)
    audit_record(
        organization=organization,
        actor=None,
        action="saml.member_joined",
        target=membership,
        details={
            "email": user.email,
            "role": role,
            "asserted_role": attributes.get("role", ""),
            "team": team.name if team else "",
        },
    )
    return membership
