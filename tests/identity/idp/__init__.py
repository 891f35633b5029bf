"""A real SAML 2.0 identity provider for tests, built on pysaml2 (see server.py)."""
