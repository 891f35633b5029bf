"""Resolve the organization from the URL once, for every request under it.

`/o/<slug>/...` (web) and `/api/v1/orgs/<slug>/...` (API). An unknown slug and
an organization the signed-in person does not belong to are the same 404, so
nothing about other organizations can be inferred. The request then runs
inside that organization's context (domain checks and PostgreSQL RLS).
"""

from __future__ import annotations

import re

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .context import org_context, system_context
from .selectors import membership_get, organization_get_by_slug

ORG_PATH = re.compile(r"^/(?:o|api/v1/orgs)/(?P<slug>[a-z0-9][a-z0-9-]{0,49})(?:/|$)")


class OrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        match = ORG_PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        with system_context("resolve organization from URL"):
            organization = organization_get_by_slug(slug=match["slug"])
            if organization is None:
                raise Http404
            is_api = request.path_info.startswith("/api/")
            membership = membership_get(organization=organization, user=request.user)
        if membership is None:
            if is_api and "HTTP_AUTHORIZATION" in request.META:
                pass  # token auth happens in the API view; OrgScopedViewSet checks membership
            elif request.user.is_authenticated or is_api:
                raise Http404
            else:
                return redirect_to_login(request.get_full_path())
        request.organization = organization
        request.membership = membership
        with org_context(organization):
            return self.get_response(request)
