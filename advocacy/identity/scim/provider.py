"""What Chorus's SCIM service declares (RFC 7643 §5-7): Users with the enterprise
extension and Groups, PATCH and filters; no bulk, sorting, ETags or passwords."""

from __future__ import annotations

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    External,
    Filter,
    Group,
    Patch,
    Reference,
    ResourceType,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_server.service import ScimService

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
    models=[User, EnterpriseUser, Group],
    resource_types=[
        ResourceType.from_resource(User[EnterpriseUser]),
        ResourceType.from_resource(Group),
    ],
    config=CONFIG,
)

SERVICE = ScimService(PROVIDER)
