"""The API keeps its contract: schemathesis fuzzes every operation of /api/schema/.

Authenticated as an admin with a Bearer token in a seeded organization, every
generated request must get an answer that is not a server error, matches the
schema, and has a documented status code. Bounded (`EXAMPLES` per operation) so
the whole run stays within a few minutes; CI runs it on PostgreSQL."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from advocacy.accounts.services import api_token_create
from advocacy.tenancy.models import Role

EXAMPLES = 3
# What the contract promises: no server error, only documented status codes, bodies and
# content types as the schema says. (Unauthenticated calls answer 404 on purpose, like
# any organization one is not a member of, so schemathesis's ignored-auth check is not ours.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

_raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
schema = schemathesis.openapi.from_dict(_raw)
schema.app = get_wsgi_application()
# Explicit examples and bounded fuzzing; the boundary-coverage phase alone makes dozens
# of cases per operation, which does not fit the suite's time.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def seeded(db, org_a, member_factory):
    """An admin's token; requests run through the WSGI app inside the test's transaction
    (as Django's test client does, the request signals must not close the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    admin = member_factory(org_a, Role.ADMIN)
    _token, raw = api_token_create(organization=org_a, user=admin.user, name="fuzz")
    yield org_a, raw
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_keeps_its_contract(case, seeded):
    organization, token = seeded
    if "org_slug" in (case.path_parameters or {}):
        case.path_parameters["org_slug"] = organization.slug
    headers = {"Authorization": f"Bearer {token}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
