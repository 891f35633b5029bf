"""The isolation probe: every page and API route, walked automatically.

A member (owner) of organization A asks for organization B's objects through A's
URLs and expects a 404 that changes nothing; list pages of A must not show any
of B's rows. Routes come from the URL resolver and the OpenAPI schema, so a
route another app adds tomorrow is probed without anyone editing this file.

How the probe learns which model a page's `<int:pk>` means: it opens the page
once with an id that does not exist and records what the view asked
`OrgView.get_org_object` / `org_queryset` for. API viewsets declare their
`model`. A route the probe cannot exercise is reported, and the test fails
unless it is listed in `registry.PUBLIC_ROUTES` with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from advocacy.tenancy.models import TenantModel
from advocacy.tenancy.views import OrgView

from .registry import PARAM_SAMPLES, PUBLIC_ROUTES

ORG_PAGE_PREFIX = "o/<slug:org_slug>/"
ORG_API_PREFIX = "api/v1/orgs/<slug:org_slug>/"
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SENTINEL_ID = 987_654_321
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Route:
    route: str  # the full route string, e.g. "o/<slug:org_slug>/people/<int:pk>/"
    pattern: URLPattern
    is_regex: bool

    @property
    def view_class(self):
        callback = self.pattern.callback
        return getattr(callback, "view_class", None) or getattr(callback, "cls", None)

    @property
    def params(self) -> list[tuple[str, str]]:
        return [
            (m["converter"] or "str", m["name"])
            for m in _PARAM.finditer(self.route)
            if m["name"] != "org_slug"
        ]

    def methods(self) -> list[str]:
        view = self.view_class
        if view is None:
            return ["get", "post"]
        allowed = getattr(view, "http_method_names", HTTP_METHODS)
        return [m for m in HTTP_METHODS if m in allowed and hasattr(view, m)]

    def url(self, slug: str, values: dict[str, str]) -> str:
        def fill(match):
            name = match["name"]
            return slug if name == "org_slug" else str(values[name])

        return "/" + _PARAM.sub(fill, self.route)


def walk(patterns=None, prefix: str = "", regex: bool = False) -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        is_regex = regex or not isinstance(entry.pattern, RoutePattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), is_regex)
        else:
            yield Route(prefix + str(entry.pattern), entry, is_regex)


def public_reason(route: str) -> str | None:
    for pattern, reason in PUBLIC_ROUTES.items():
        if re.search(pattern, route):
            return reason
    return None


def sample(converter: str, name: str, index: int) -> str:
    if name in PARAM_SAMPLES:
        return PARAM_SAMPLES[name]
    if converter == "int":
        return str(SENTINEL_ID + index)
    return f"probe-sentinel-{index}"


def tenant_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


def snapshot(organization) -> dict[str, list[dict]]:
    """Every row the organization owns, field by field."""
    return {
        model._meta.label: list(
            model.objects.filter(organization=organization).order_by("pk").values()
        )
        for model in tenant_models()
    }


def snapshot_diff(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


@dataclass
class Lookup:
    model: type
    field: str | None = None  # the lookup field when known (pk, code, …)
    param: str | None = None  # the URL parameter it came from


@dataclass
class Recorder:
    """What a view asked OrgView for during one request."""

    lookups: list[Lookup] = field(default_factory=list)

    def install(self, monkeypatch, sentinels: dict[str, str]) -> None:
        recorder = self
        original_get = OrgView.get_org_object
        original_queryset = OrgView.org_queryset

        def get_org_object(view, model, **lookup):
            for name, value in lookup.items():
                for param, sentinel in sentinels.items():
                    if str(value) == sentinel:
                        recorder.lookups.append(Lookup(model, name.split("__")[0], param))
            return original_get(view, model, **lookup)

        def org_queryset(view, model):
            recorder.lookups.append(Lookup(model))
            return original_queryset(view, model)

        monkeypatch.setattr(OrgView, "get_org_object", get_org_object)
        monkeypatch.setattr(OrgView, "org_queryset", org_queryset)
