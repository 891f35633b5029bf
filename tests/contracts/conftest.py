"""Fixtures for the contract tests: the real click path (WSGI redirect, Redis stream),
the sandbox network, and people in two organizations (from tests/conftest.py)."""

# The click and sandbox fixtures of the apps' own tests, reused as they are.
from tests.analytics.conftest import (  # noqa: F401
    _fresh_caches,
    click_redis,
    link_a,
    link_b,
    no_redis,
    wsgi,
)
from tests.analytics.engagement_support import sandbox, sandbox_network  # noqa: F401
from tests.analytics.test_conversions import crm  # noqa: F401  (a CRM that records hand-offs)
