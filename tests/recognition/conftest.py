"""The test body arranges and asserts as the audited system context (RLS on PostgreSQL);
requests and tasks enter their own organization's context, so the app is still checked."""

from tests.isolation.actors import test_body_acts_as_system  # noqa: F401
