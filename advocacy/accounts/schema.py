"""OpenAPI description of the personal-token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "advocacy.accounts.authentication.BearerTokenAuthentication"
    name = "PersonalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Profile → API tokens).",
        }
