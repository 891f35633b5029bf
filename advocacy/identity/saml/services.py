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
from .models import SamlAssertionSeen, SamlConnection, SamlSignIn

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


@transaction.atomic
def saml_connection_update(
    *,
    organization: Organization,
    actor,
    metadata_xml: str | None = None,
    metadata_url: str | None = None,
    **fields,
) -> SamlConnection:
    """Save the organization's SAML settings. New metadata (XML, or fetched from its URL)
    replaces the identity provider; metadata that cannot be used raises MetadataError and
    nothing is saved."""
    unknown = set(fields) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"not SAML settings: {sorted(unknown)}")
    connection = SamlConnection.objects.for_org(organization).first() or SamlConnection(
        organization=organization
    )
    changed: dict = {}
    if metadata_url:
        metadata_xml = saml_metadata_fetch(url=metadata_url)
    if metadata_xml:
        idp = parse_metadata(metadata_xml)
        connection.idp_entity_id = idp.entity_id
        connection.idp_sso_url = idp.sso_url
        connection.idp_certificates = "\n\n".join(idp.certificates)
        connection.idp_metadata_xml = metadata_xml
        connection.idp_metadata_url = metadata_url or ""
        changed["identity_provider"] = idp.entity_id
    for name, value in fields.items():
        if getattr(connection, name) != value:
            changed[name] = value
            setattr(connection, name, value)
    if connection.enabled and not connection.idp_entity_id:
        raise MetadataError(_("Add the identity provider's metadata before turning sign-in on."))
    connection.updated_at = timezone.now()
    connection.save()
    if changed:
        audit_record(
            organization=organization,
            actor=actor,
            action="saml.settings_changed",
            target=("identity.samlconnection", connection.pk, connection.idp_entity_id or "SAML"),
            details=changed,
        )
    return connection


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
