"""Resolve the organization from the URL once, for every request under it.

`/o/<slug>/...` (web) and `/api/v1/orgs/<slug>/...` (API). An unknown slug and
an organization the signed-in person does not belong to are the same 404, so
nothing about other organizations can be inferred. The request then runs
inside that organization's context (domain checks and PostgreSQL RLS).

Every other request runs as the signed-in person only (their own memberships
are readable, for the organization switcher); platform staff in /admin/ work
in an audited system context because the admin spans organizations.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from .context import request_context, system_context
from .models import Role
from .selectors import membership_get, organization_get_by_slug

ORG_PATH = re.compile(r"^/(?:o|api/v1/orgs)/(?P<slug>[a-z0-9][a-z0-9-]{0,49})(?:/|$)")
ADMIN_PATH = "/admin/"


class OrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        match = ORG_PATH.match(request.path_info)
        if match is None:
            # Public hot paths (the /r/ redirect) carry no session: do not load a user for them.
            if SESSION_KEY not in getattr(request, "session", {}):
                return self.get_response(request)
            user = request.user
            user_id = user.pk if user.is_authenticated else None
            if request.path_info.startswith(ADMIN_PATH) and user_id and user.is_staff:
                with system_context(
                    f"platform staff {user_id}: {request.method} {request.path_info}"
                ):
                    return self.get_response(request)
            with request_context(user_id=user_id):
                return self.get_response(request)
        organization = organization_get_by_slug(slug=match["slug"])
        if organization is None:
            raise Http404
        user = request.user
        user_id = user.pk if user.is_authenticated else None
        with request_context(user_id=user_id, organization=organization):
            membership = membership_get(organization=organization, user=user)
            if membership is None:
                is_api = request.path_info.startswith("/api/")
                if is_api and "HTTP_AUTHORIZATION" in request.META:
                    pass  # token auth happens in the API view; OrgScopedViewSet checks membership
                elif user.is_authenticated or is_api:
                    raise Http404
                else:
                    return redirect_to_login(request.get_full_path())
            request.organization = organization
            request.membership = membership
            if membership is not None and _needs_single_sign_on(request, organization, membership):
                return redirect(
                    f"{reverse('sso_required')}?{urlencode({'next': request.get_full_path()})}"
                )
            return self.get_response(request)


def _needs_single_sign_on(request, organization, membership) -> bool:
    """An organization that requires SSO admits browser sessions signed in through
    an identity provider only. Owners are exempt so nobody locks the door from inside."""
    if not organization.sso_required or membership.role == Role.OWNER:
        return False
    if "HTTP_AUTHORIZATION" in request.META:  # API tokens are created by signed-in people
        return False
    records = get_authentication_records(request, request.user)
    return not any(_signed_in_by_identity_provider(record, organization) for record in records)


def _signed_in_by_identity_provider(record: dict, organization) -> bool:
    """A sign-in through Google, Microsoft, OpenID Connect, or this organization's own SAML
    identity provider (allauth records SAML as "socialaccount" with provider "saml-<org>");
    another organization's SAML does not vouch for people here."""
    if record.get("method") != "socialaccount":
        return False
    provider = str(record.get("provider", ""))
    return not provider.startswith("saml-") or provider == f"saml-{organization.slug}"
