"""Fixtures of this package."""

from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401
