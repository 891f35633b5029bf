"""Isolation probe (issue 3, item 8a): a member of organization A, against every page and
API route, with organization B's objects: 404 and nothing changed; A's lists show
none of B's rows. Routes are discovered, never listed by hand."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator

from advocacy.tenancy.models import Role

from .probe import (
    ORG_API_PREFIX,
    ORG_PAGE_PREFIX,
    Recorder,
    public_reason,
    sample,
    snapshot,
    snapshot_diff,
    tenant_models,
    walk,
)
from .registry import PARAM_SAMPLES, ROUTE_MODELS, Builder, make_person, new_marker

pytestmark = pytest.mark.django_db


class World:
    """Two organizations with one row of every tenant model each."""

    def __init__(self, org_a, org_b):
        self.org_a, self.org_b = org_a, org_b
        self.owner_a = make_person(org_a, new_marker(), role=Role.OWNER)
        make_person(org_b, new_marker(), role=Role.OWNER)
        self.a, self.b = Builder(org_a), Builder(org_b)
        for model in tenant_models():
            self.a.get(model)
            self.b.get(model)
        self.markers = self.b.markers | {org_b.name}
        self.leaks: list[str] = []
        self.crashes: list[str] = []
        self.unexercised: list[str] = []

    def leaked(self, body: str) -> list[str]:
        return sorted(marker for marker in self.markers if marker in body)

    def value(self, builder: Builder, model, field: str | None):
        row = builder.get(model)
        if row is None:
            return None
        return getattr(row, field or "pk") if field not in (None, "pk", "id") else row.pk

    def report(self) -> str:
        lines = []
        if self.leaks:
            lines += [
                "Routes that let organization A reach organization B:",
                *[f"  {leak}" for leak in self.leaks],
            ]
        if self.crashes:
            lines += [
                "Routes that crashed, so the probe could not check them:",
                *[f"  {c}" for c in self.crashes],
            ]
        if self.unexercised:
            lines += [
                "Routes the probe could not exercise (add a registry entry, or list them in "
                "tests/isolation/registry.py PUBLIC_ROUTES with the reason):",
                *[f"  {r}" for r in self.unexercised],
            ]
        problems = {label: problem for label, problem in self.b.problems.items()}
        if problems:
            lines += [
                "Models the probe could not build (add to registry.FACTORIES):",
                *[f"  {label}: {problem}" for label, problem in sorted(problems.items())],
            ]
        return "\n".join(lines)


@pytest.fixture
def world(org_a, org_b):
    return World(org_a, org_b)


_CSRF = re.compile(r'((?:csrfmiddlewaretoken" value|csrf-token" content)=")[^"]+')


def _body(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(errors="replace")
    else:
        body = response.content.decode(errors="replace")
    return _CSRF.sub(r"\1", body)  # a fresh CSRF mask per page is not a difference


class _Crashed:
    def __init__(self, error):
        self.status_code = f"{type(error).__name__}: {error}"[:200]
        self.content = b""


def _call(client, method: str, url: str, **kwargs):
    """A crash is reported like any other wrong answer, not allowed to end the walk."""
    try:
        if method in ("get", "post"):
            return getattr(client, method)(url, **kwargs)
        return client.generic(method.upper(), url, **kwargs)
    except Exception as error:
        return _Crashed(error)


def _probe_object(world, client, label, method, url, *, api=False, missing_url=None):
    """B's object through A's URL must read exactly like an object that does not exist:
    a 404, or (when the view refuses the request before looking) the same answer a
    missing id gets; and B's rows stay as they were."""
    kwargs = {"data": "{}", "content_type": "application/json"} if api and method != "get" else {}
    before = snapshot(world.org_b)
    response = _call(client, method, url, **kwargs)
    changed = snapshot_diff(before, snapshot(world.org_b))
    same_as_missing = response.status_code == 404
    if (
        not same_as_missing
        and missing_url
        and not changed
        and isinstance(response.status_code, int)
    ):
        missing = _call(client, method, missing_url, **kwargs)
        same_as_missing = (
            missing.status_code == response.status_code
            and 400 <= response.status_code < 500
            and (_body(missing).replace(missing_url, url) == _body(response))
        )
    if isinstance(response, _Crashed) and not changed:
        world.crashes.append(f"{label}: {method.upper()} {url} → {response.status_code}")
    elif not same_as_missing or changed:
        world.leaks.append(
            f"{label}: {method.upper()} {url} → {response.status_code}; B's rows changed: {changed or 'none'}"
        )


def _probe_foreign_slug(world, client, route, values):
    """Organization B's own URL, for a member of A only: the same 404 as an unknown organization."""
    methods = route.methods() or ["get"]
    url = route.url(world.org_b.slug, values)
    response = _call(client, methods[0], url)
    if response.status_code != 404:
        world.leaks.append(
            f"{route.route}: {methods[0].upper()} {url} (B's organization) → {response.status_code}"
        )


def _probe_list(world, client, label, url):
    response = _call(client, "get", url)
    if isinstance(response, _Crashed):
        world.crashes.append(f"{label}: GET {url} → {response.status_code}")
    elif response.status_code == 200:
        found = world.leaked(_body(response))
        if found:
            world.leaks.append(f"{label}: GET {url} shows B's rows {found}")


def test_every_page_keeps_other_organizations_out(web, world, monkeypatch):
    client = web.as_member(world.owner_a)
    for route in walk():
        if not route.route.startswith(ORG_PAGE_PREFIX):
            continue
        if route.is_regex:
            if not public_reason(route.route):
                world.unexercised.append(f"{route.route} (regex route: use path())")
            continue
        params = route.params
        sentinels = {name: sample(conv, name, i) for i, (conv, name) in enumerate(params)}
        _probe_foreign_slug(world, client, route, sentinels)
        ids = [name for _conv, name in params if name not in PARAM_SAMPLES]
        if not ids:
            if "get" in route.methods():
                _probe_list(world, client, route.route, route.url(world.org_a.slug, sentinels))
            continue
        mapping = _discover(world, client, route, sentinels, ids, monkeypatch)
        missing = [name for name in ids if name not in mapping]
        if missing:
            if not public_reason(route.route):
                world.unexercised.append(
                    f"{route.route}: cannot tell which model {', '.join(missing)} names "
                    "(fetch it with self.get_org_object(Model, ...))"
                )
            continue
        for target in ids:
            values = dict(sentinels)
            for name, (model, field) in mapping.items():
                builder = world.b if name == target else world.a
                values[name] = world.value(builder, model, field)
            if any(v is None for v in values.values()):
                world.unexercised.append(
                    f"{route.route}: could not build a {mapping[target][0]._meta.label} to probe with"
                )
                continue
            url = route.url(world.org_a.slug, values)
            missing_url = route.url(world.org_a.slug, {**values, target: sentinels[target]})
            for method in route.methods():
                _probe_object(world, client, route.route, method, url, missing_url=missing_url)
    assert not world.leaks and not world.crashes and not world.unexercised, world.report()


def _discover(world, client, route, sentinels, ids, monkeypatch) -> dict[str, tuple[type, str]]:
    """Open the page with ids that exist nowhere and see what the view looked up."""
    recorder = Recorder()
    with monkeypatch.context() as patch:
        recorder.install(patch, {name: sentinels[name] for name in ids})
        for method in route.methods()[:1] or ["get"]:
            _call(client, method, route.url(world.org_a.slug, sentinels))
    mapping: dict[str, tuple[type, str]] = {}
    for pattern, params in ROUTE_MODELS.items():
        if re.search(pattern, route.route):
            mapping.update({name: (apps.get_model(label), "pk") for name, label in params.items()})
    for lookup in recorder.lookups:
        if lookup.param and lookup.param not in mapping:
            mapping[lookup.param] = (lookup.model, lookup.field or "pk")
    unmapped = [name for name in ids if name not in mapping]
    models = {lookup.model for lookup in recorder.lookups if lookup.param is None}
    models -= {model for model, _field in mapping.values()}
    if len(unmapped) == 1 and len(models) == 1:
        mapping[unmapped[0]] = (models.pop(), "pk")
    return mapping


def _api_routes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    prefix = "/" + ORG_API_PREFIX.replace("<slug:org_slug>", "{org_slug}")
    for path, item in schema["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, prefix


def test_every_api_route_keeps_other_organizations_out(api, world):
    client = api.as_member(world.owner_a)
    seen_paths = 0
    for path, method, prefix in _api_routes():
        if not path.startswith(prefix):
            continue
        seen_paths += 1
        names = [name for name in re.findall(r"{([^}]+)}", path) if name != "org_slug"]

        def concrete(slug, values, path=path):
            return re.sub(
                r"{([^}]+)}", lambda m: slug if m[1] == "org_slug" else str(values[m[1]]), path
            )

        sentinels = {name: sample("int", name, i) for i, name in enumerate(names)}
        try:
            view = resolve(concrete(world.org_a.slug, sentinels)).func
        except Resolver404:
            world.unexercised.append(f"{method.upper()} {path}: not resolvable")
            continue
        viewset = getattr(view, "cls", None)
        label = f"{method.upper()} {path}"
        foreign = _call(client, method, concrete(world.org_b.slug, sentinels))
        if foreign.status_code != 404:
            world.leaks.append(f"{label} (B's organization) → {foreign.status_code}")
        if not names:
            if method == "get":
                _probe_list(world, client, label, concrete(world.org_a.slug, {}))
            continue
        model = getattr(viewset, "model", None)
        if model is None or len(names) != 1:
            if not public_reason(path.lstrip("/")):
                world.unexercised.append(
                    f"{label}: no `model` on {getattr(viewset, '__name__', view)} to probe with"
                )
            continue
        lookup = getattr(viewset, "lookup_field", "pk")
        value = world.value(world.b, model, lookup)
        if value is None:
            world.unexercised.append(f"{label}: could not build a {model._meta.label}")
            continue
        _probe_object(
            world,
            client,
            label,
            method,
            concrete(world.org_a.slug, {names[0]: value}),
            api=True,
            missing_url=concrete(world.org_a.slug, sentinels),
        )
    assert seen_paths, "the OpenAPI schema lists no organization routes"
    assert not world.leaks and not world.crashes and not world.unexercised, world.report()


def test_every_route_outside_an_organization_is_listed_as_public_with_a_reason():
    unlisted = [
        route.route
        for route in walk()
        if not route.route.startswith((ORG_PAGE_PREFIX, ORG_API_PREFIX))
        and public_reason(route.route) is None
    ]
    assert unlisted == [], (
        f"add these to tests/isolation/registry.py PUBLIC_ROUTES with a reason: {unlisted}"
    )


def test_every_tenant_model_can_be_built_for_the_probe(org_b):
    builder = Builder(org_b)
    for model in tenant_models():
        builder.get(model)
    assert builder.problems == {}, "add these to tests/isolation/registry.py FACTORIES: " + str(
        builder.problems
    )


def test_the_probe_notices_a_leak(web, world, monkeypatch):
    """The probe itself can fail: a view handed another organization's row is reported."""
    from advocacy.tenancy.models import Membership
    from advocacy.tenancy.views import OrgView

    member_b = Membership.objects.filter(organization=world.org_b).first()
    monkeypatch.setattr(OrgView, "get_org_object", lambda view, model, **lookup: member_b)
    client = web.as_member(world.owner_a)
    _probe_object(world, client, "profile", "get", f"/o/{world.org_a.slug}/people/{member_b.pk}/")
    assert len(world.leaks) == 1 and "→ 200" in world.leaks[0]
