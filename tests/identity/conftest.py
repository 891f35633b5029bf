"""Fixtures for the identity tests (SCIM and SAML)."""

from .saml_helpers import idp_fixture  # noqa: F401  (`idp`: a started test SAML identity provider)
