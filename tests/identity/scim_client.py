"""A SCIM client for the tests: the Django test client speaking application/scim+json
with a real token that an owner created."""

from __future__ import annotations

import json

from django.test import Client

from advocacy.identity.scim.tokens import scim_token_create

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimClient:
    def __init__(self, organization, raw_token: str) -> None:
        self.organization = organization
        self.base = f"/scim/v2/orgs/{organization.slug}"
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}

    def _call(self, method: str, path: str, body=None, **extra):
        kwargs = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = SCIM
        response = getattr(self.client, method)(self.base + path, **kwargs)
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, path, **extra):
        return self._call("get", path, **extra)

    def post(self, path, body, **extra):
        return self._call("post", path, body, **extra)

    def put(self, path, body, **extra):
        return self._call("put", path, body, **extra)

    def patch(self, path, body, **extra):
        return self._call("patch", path, body, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, **extra)


def scim_client_for(organization, owner, name: str = "Okta") -> ScimClient:
    _token, raw = scim_token_create(organization=organization, actor=owner, name=name)
    return ScimClient(organization, raw)
