"""The SCIM endpoint of each organization: /scim/v2/orgs/<org_slug>/...

The URL names the organization, the bearer token must be one of its live
tokens; an unknown organization and a wrong token are the same 401, so
nothing about other organizations can be learned. The request then runs
inside the organization's context (domain checks and PostgreSQL RLS), like
the API under /api/v1/orgs/<slug>/. scim2-server answers the protocol;
`ChorusScimStorage` reads and writes Chorus.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from scim2_models import UnauthorizedException
from scim2_server.applications.base import BaseApplication
from scim2_server.applications.wsgi import WSGIApplication
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from scim2_server.routing import Operation

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization
from advocacy.tenancy.selectors import organization_get_by_slug

from .compat import normalize_body
from .outcomes import scim_outcome_record
from .provider import PROVIDER, SERVICE
from .services import ScimActor
from .storage import ChorusScimStorage
from .tokens import scim_token_authenticate


class _NoStorage(ChorusScimStorage):
    """Unauthenticated requests reach only the configuration, which reads no storage."""

    def __init__(self) -> None:
        pass


class ChorusScimApplication(WSGIApplication):
    def __init__(self, organization: Organization | None) -> None:
        super().__init__(_NoStorage(), PROVIDER, SERVICE)
        self.organization = organization
        self.token = None

    def needs_auth(self, request: ScimRequest) -> bool:
        # The configuration is public (RFC 7643 §5), but a token that is sent is checked,
        # so "test the connection" learns whether the token works.
        if self.organization is None or request.header("Authorization"):
            return True
        return super().needs_auth(request)

    def check_auth(self, request: ScimRequest) -> None:
        scheme, _, raw = (request.header("Authorization") or "").partition(" ")
        if self.organization is not None and scheme.lower() == "bearer":
            self.token = scim_token_authenticate(organization=self.organization, raw=raw.strip())
        if self.token is None:
            raise UnauthorizedException(detail="Missing, wrong or revoked SCIM token.")
        actor = ScimActor(organization_id=self.organization.pk, name=self.token.name)
        self.handler = ScimHandler(
            self.service, ChorusScimStorage(organization=self.organization, actor=actor)
        )

    def dispatch_request(self, request: ScimRequest) -> ScimResponse:
        if self.needs_auth(request):
            self.check_auth(request)
        return self.handler.handle(request)


def _scim_request(request, org_slug: str, path: str) -> ScimRequest:
    base_url = request.build_absolute_uri(f"/scim/v2/orgs/{org_slug}")
    scim_request = ScimRequest(
        method=request.method,
        base_url=base_url,
        path=BaseApplication.split_path("/" + path),
        query={key: value for key, value in request.GET.items()},
        headers=dict(request.headers),
        body=request.body,
    )
    scim_request.body = normalize_body(scim_request.method, scim_request.path, scim_request.body)
    return scim_request


def _http(response: ScimResponse) -> HttpResponse:
    body = b"" if response.body is None else json.dumps(response.body).encode()
    http = HttpResponse(body, status=response.status.value)
    for name, value in response.headers.items():
        http[name] = value
    return http


@csrf_exempt
def scim_endpoint(request, org_slug: str, path: str = ""):
    scim_request = _scim_request(request, org_slug, path)
    organization = organization_get_by_slug(slug=org_slug)
    app = ChorusScimApplication(organization)
    if organization is None:
        return _http(app.serve(scim_request))
    with org_context(organization):
        response = app.serve(scim_request)
        try:
            operation = SERVICE.match(scim_request).operation
        except Exception:
            operation = None
        scim_outcome_record(
            organization=organization,
            token=app.token,
            method=scim_request.method,
            path=scim_request.path,
            status=response.status.value,
            error=response.body if response.status >= HTTPStatus.BAD_REQUEST else None,
            is_read=operation
            in (
                Operation.query,
                Operation.search,
                Operation.search_with_body,
                Operation.service_provider_config,
                Operation.resource_types,
                Operation.resource_type,
                Operation.schemas,
                Operation.schema,
            ),
        )
    return _http(response)
