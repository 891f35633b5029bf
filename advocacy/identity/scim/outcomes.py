"""What happened to each SCIM request, for the admin screen and the audit trail.

Every request leaves a `ScimRequestLog` row (the last `KEEP` per organization
are kept). A refused change (a wrong token, another organization's id, an
unknown attribute, a bad PATCH path, ...) is also on the audit trail, with the
SCIM error the identity provider was given."""

from __future__ import annotations

from advocacy.audit.services import audit_record
from advocacy.tenancy.models import Organization

from .models import ScimRequestLog, ScimToken
from .services import ScimActor

KEEP = 200


def scim_outcome_record(
    *,
    organization: Organization,
    token: ScimToken | None,
    method: str,
    path: str,
    status: int,
    error: dict | None,
    is_read: bool,
) -> None:
    error = error or {}
    scim_type = str(error.get("scimType") or "")[:32]
    detail = str(error.get("detail") or "")[:500]
    ScimRequestLog.objects.create(
        organization=organization,
        token_name=token.name if token else "",
        method=method.upper()[:8],
        path=path[:255],
        status=status,
        scim_type=scim_type,
        detail=detail,
    )
    if status >= 400 and (not is_read or status == 401):
        actor = ScimActor(organization_id=organization.pk, name=token.name if token else "?")
        audit_record(
            organization=organization,
            actor=actor if token else None,
            action="scim.request_refused",
            target=("scim.request", "", f"{method.upper()} {path}"),
            details={"status": status, "scimType": scim_type, "detail": detail},
        )
    logs = ScimRequestLog.objects.for_org(organization)
    cutoff = logs.order_by("-id").values_list("id", flat=True)[KEEP : KEEP + 1]
    if cutoff:
        logs.filter(id__lte=cutoff[0]).delete()
