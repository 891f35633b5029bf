""" "Test the connection": the owner pastes a token and Chorus makes the request an
identity provider's first call would (GET /Users?count=1), in-process through the
same SCIM application, so no outbound HTTP to our own address is needed and
the answer is exactly what the identity provider would get."""

from __future__ import annotations

from dataclasses import dataclass

from scim2_server.requests import ScimRequest

from advocacy.tenancy.models import Organization

from .outcomes import scim_outcome_record


@dataclass
class ConnectionResult:
    ok: bool
    status: int
    detail: str
    total: int | None = None


def scim_connection_test(
    *, organization: Organization, raw_token: str, base_url: str
) -> ConnectionResult:
    from .api import ChorusScimApplication

    app = ChorusScimApplication(organization)
    request = ScimRequest(
        method="GET",
        base_url=f"{base_url}/scim/v2/orgs/{organization.slug}",
        path="/Users",
        query={"count": "1"},
        headers={"Authorization": f"Bearer {raw_token}"},
    )
    response = app.serve(request)
    body = response.body or {}
    status = response.status.value
    scim_outcome_record(
        organization=organization,
        token=app.token,
        method="GET",
        path="/Users (connection test)",
        status=status,
        error=body if status >= 400 else None,
        is_read=True,
    )
    if status == 200:
        return ConnectionResult(True, status, "", body.get("totalResults"))
    return ConnectionResult(False, status, str(body.get("detail") or ""))
