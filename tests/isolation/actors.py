"""Who the test body itself acts as, on PostgreSQL with row-level security.

Arranging rows with factories and asserting on them afterwards is not a
tenant's request: it acts in the audited system context, the way a platform
job would. Requests made through the test clients enter their own
organization's context (which narrows the system context to that
organization), so what the app does is still checked under RLS.

Use it with `from tests.isolation.actors import test_body_acts_as_system`
in a conftest (autouse). On SQLite it changes nothing.
"""

import pytest

from advocacy.tenancy.context import system_context


@pytest.fixture(autouse=True)
def test_body_acts_as_system(django_db_blocker):
    context = system_context("test arrange and assert")
    with django_db_blocker.unblock():
        context.__enter__()
    yield
    with django_db_blocker.unblock():
        context.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every factory-made person gets a hashed password; the production hasher
    takes a good part of a second per person, which is its point, not ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
