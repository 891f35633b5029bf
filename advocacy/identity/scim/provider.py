"""What Chorus's SCIM service declares (RFC 7643 §5-7): Users with the enterprise
extension and Groups, PATCH and filters; no bulk, sorting, ETags or passwords."""

from __future__ import annotations

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    External,
    Filter,
    Patch,
    Reference,
    ResourceType,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
)
from scim2_server.service import ScimService

from .resources import ChorusGroup, ChorusUser, UserResource

MAX_RESULTS = 200

CONFIG = ServiceProviderConfig(
    documentation_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc7644"),
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[
        AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken,
            name="OAuth Bearer Token",
            description="A SCIM token an owner creates in Chorus (Settings, SCIM provisioning).",
            spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
            primary=True,
        )
    ],
)

PROVIDER = ScimProvider(
    models=[ChorusUser, EnterpriseUser, ChorusGroup],
    resource_types=[
        ResourceType.from_resource(UserResource),
        ResourceType.from_resource(ChorusGroup),
    ],
    config=CONFIG,
)


class ChorusScimService(ScimService):
    def patch_response(self, base_url, resource, response_parameters):
        """Always 200 with the resource (RFC 7644 §3.5.2 allows it; Okta expects the
        updated user back: developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20)."""
        published = self.publish(base_url, resource)
        return self.resource_response(
            published, Context.RESOURCE_REPLACEMENT_RESPONSE, response_parameters
        )


SERVICE = ChorusScimService(PROVIDER)
