"""Fixtures for every test package: two organizations and their people."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from advocacy.accounts.services import api_token_create
from advocacy.tenancy.models import Role

from .factories import PASSWORD, MembershipFactory, OrganizationFactory
from .isolation.actors import (  # noqa: F401  (autouse: who a test acts as)
    fast_password_hashing,
    services_act_in_their_organization,
    test_body_acts_as_system,
)
from .worker import celery_worker  # noqa: F401  (tests marked `worker`)

ROLES = [Role.OWNER, Role.ADMIN, Role.CURATOR, Role.MANAGER, Role.EMPLOYEE]


@pytest.fixture(autouse=True, scope="session")
def media_in_a_temporary_folder(tmp_path_factory):
    """Files the tests store (uploads, the demo's pictures when a test seeds the demo) go
    to a temporary folder, never to the developer's var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Each test counts its own rate-limit windows (advocacy.ratelimit): the cache,
    Redis included, outlives a test, and ids repeat from one test to the next."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test:{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def click_journal_of_its_own(settings, tmp_path_factory):
    """Each test's redirects append to a journal folder of its own, which nothing ships in
    the background: a test ships (`journal_ship`) or flushes when it means to."""
    from analytics.clicks.journal import stop_shipper

    settings.CHORUS_CLICK_JOURNAL_DIR = str(tmp_path_factory.getbasetemp() / uuid.uuid4().hex)
    settings.CHORUS_CLICK_SHIP_SECONDS = 0
    yield
    stop_shipper()


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Acme Test", slug="acme-test")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Beta Test", slug="beta-test")


@pytest.fixture
def member_factory(db):
    def make(organization, role=Role.EMPLOYEE, **kwargs):
        return MembershipFactory(organization=organization, role=role, **kwargs)

    return make


@pytest.fixture
def admin_a(org_a, member_factory):
    return member_factory(org_a, Role.ADMIN)


@pytest.fixture
def employee_a(org_a, member_factory):
    return member_factory(org_a, Role.EMPLOYEE)


@pytest.fixture
def admin_b(org_b, member_factory):
    return member_factory(org_b, Role.ADMIN)


@pytest.fixture
def web(client):
    """A browser-like client; `web.as_member(m)` signs that member's person in."""

    def as_member(membership):
        client.force_login(membership.user)
        return client

    client.as_member = as_member
    return client


@pytest.fixture
def api():
    """An API client; `api.as_member(m)` authenticates with a real Bearer token."""
    client = APIClient()

    def as_member(membership):
        _token, raw = api_token_create(
            organization=membership.organization, user=membership.user, name="test"
        )
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    client.as_member = as_member
    return client


@pytest.fixture
def password():
    return PASSWORD
