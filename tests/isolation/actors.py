"""Who a test acts as, on PostgreSQL with row-level security (issue 12, item 6).

Three actors, each the one a user would see acting:

1. **Arranging and asserting** (factories, `Model.objects...` in the test body)
   is not a tenant's act: it runs in the audited system context, the way a
   platform job would (`test_body_acts_as_system`).
2. **Every call a test makes to a service** that takes `organization=` runs
   inside `org_context(organization)`: as that organization, as the
   application's database role (`chorus_app`, which RLS applies to). A service
   that reads or writes another organization's rows fails its own tests on
   PostgreSQL (RLS hides or refuses the row) and, for writes, on SQLite too
   (`CrossTenantWrite`). `services_act_in_their_organization` does it: for the
   test, it replaces every service function bound in the test module's globals
   and in its conftests' globals (`from recognition.services import x`) by one
   that enters the organization's context for the call and leaves it after, and
   every services module bound there (`from campaigns import services`,
   `services.feeds.x(...)`) by a view of it that hands out the same wrapped
   functions. A service is a function defined in a module with a `services`
   component in its dotted path, in one of the project's packages (`advocacy`,
   the apps; `tests.isolation.services` is the meta-tests' probe). Services
   imported inside a test function would escape, so
   `tests/isolation/test_actors.py` fails when a test file does that. Helper
   modules such as factories (`tests/*/factories.py`) arrange, so they keep the
   system context, as does a call whose `organization` is not an Organization.
3. **Requests** through the test clients enter their own organization's context
   (middleware), so what the views do is checked under RLS as well.

Tests of jobs that truly span organizations (click flush, poll scheduler,
privacy sweeps, ...) are marked `@pytest.mark.system_job`: their service calls
keep the system context, as the job's own would.

Use it with `from tests.isolation.actors import ...` in a conftest (all three
fixtures are autouse; `tests/conftest.py` does it for every package). On SQLite
the database sees no difference, but the context variable (and so the
`CrossTenantWrite` guard) does.
"""

from __future__ import annotations

import functools
import inspect
import sys
import types

import pytest

from advocacy.tenancy.context import org_context, system_context
from advocacy.tenancy.models import Organization

# Top-level packages whose `services` modules hold services (DESIGN.md §2), and
# `tests`, for the probe in tests/isolation/services.py.
PROJECT_PACKAGES = frozenset(
    {
        "advocacy",
        "social",
        "content_library",
        "campaigns",
        "analytics",
        "recognition",
        "surveys",
        "tests",
    }
)

ORIGINAL = "__chorus_service__"  # on a wrapper: the service it wraps


def is_services_module_name(name: str | None) -> bool:
    if not name:
        return False
    parts = name.split(".")
    return parts[0] in PROJECT_PACKAGES and "services" in parts[1:]


@functools.cache
def _organization_parameter(func) -> inspect.Signature | None:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return signature if "organization" in signature.parameters else None


def is_service(value) -> bool:
    """A function of a services module that takes `organization`."""
    if not inspect.isfunction(value) or hasattr(value, ORIGINAL):
        return False
    if not is_services_module_name(getattr(value, "__module__", None)):
        return False
    return _organization_parameter(value) is not None


@functools.cache
def as_tenant(service):
    """`service`, called inside `org_context(organization)` of its own call."""
    signature = _organization_parameter(service)

    @functools.wraps(service)
    def call(*args, **kwargs):
        organization = kwargs.get("organization")
        if organization is None and args:
            try:
                organization = signature.bind_partial(*args, **kwargs).arguments.get("organization")
            except TypeError:
                organization = None
        if not isinstance(organization, Organization):
            return service(*args, **kwargs)
        with org_context(organization):
            return service(*args, **kwargs)

    setattr(call, ORIGINAL, service)
    return call


class ServicesAsTenant:
    """A services module as a test sees it: its services act as their organization.

    Reading an attribute gives the wrapped service, or a view of a services
    sub-module; setting or deleting one (monkeypatch) changes the real module."""

    __slots__ = ("_module",)

    def __init__(self, module: types.ModuleType):
        object.__setattr__(self, "_module", module)

    @property
    def __dict__(self):  # what monkeypatch saves and restores: the real module's
        return vars(self._module)

    def __getattr__(self, name):
        return as_tenant_view(getattr(self._module, name))

    def __setattr__(self, name, value):
        setattr(self._module, name, getattr(value, ORIGINAL, value))

    def __delattr__(self, name):
        delattr(self._module, name)

    def __dir__(self):
        return dir(self._module)

    def __repr__(self):
        return f"<services {self._module.__name__} acting as their organization>"


def as_tenant_view(value):
    """What a test should hold instead of `value` (the value itself if not a service)."""
    if isinstance(value, types.ModuleType) and is_services_module_name(value.__name__):
        return ServicesAsTenant(value)
    if is_service(value):
        return as_tenant(value)
    return value


def modules_of(request) -> list[types.ModuleType]:
    """The test's module and the conftests above it (their fixtures are the test's too)."""
    module = request.node.module if hasattr(request.node, "module") else None
    if module is None:
        return []
    modules = [module]
    parts = module.__name__.split(".")
    for depth in range(1, len(parts)):
        conftest = sys.modules.get(".".join([*parts[:depth], "conftest"]))
        if conftest is not None:
            modules.append(conftest)
    return modules


@pytest.fixture(autouse=True)
def test_body_acts_as_system(django_db_blocker):
    context = system_context("test arrange and assert")
    with django_db_blocker.unblock():
        context.__enter__()
    yield
    with django_db_blocker.unblock():
        context.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def services_act_in_their_organization(request, monkeypatch):
    """Service calls from the test enter their organization's context (see above);
    tests marked `system_job` keep the system context."""
    if request.node.get_closest_marker("system_job") is not None:
        return
    for module in modules_of(request):
        for name, value in list(vars(module).items()):
            view = as_tenant_view(value)
            if view is not value:
                monkeypatch.setattr(module, name, view)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every factory-made person gets a hashed password; the production hasher
    takes a good part of a second per person, which is its point, not ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
