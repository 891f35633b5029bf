"""SAML 2.0 single sign-on, one service provider per organization (docs/identity-saml.md)."""
