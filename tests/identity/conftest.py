"""Fixtures for the identity tests (SCIM and SAML)."""

from .saml_helpers import idp  # noqa: F401  (a started test SAML identity provider)
