"""Chorus as a SAML service provider: metadata, SP-initiated sign-in, the assertion consumer.

The ACS is a cross-site POST, which carries no SameSite=Lax session cookie, so allauth's own
first step stores the POST in a short-lived cookie session and redirects to ``acs/finish/``
(same origin, session available), where everything is checked:
python3-saml (strict: signature required, audience, destination, times), then the replay
cache, then the state stashed when the sign-in started here, then membership. Every refusal
renders one clear page, is kept as the connection's last outcome and goes to the audit trail;
no account or membership is created or changed by a refused answer.
"""

from __future__ import annotations

import datetime as dt

from allauth.core.internal import httpkit
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.sessions import LoginSession
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership
from advocacy.tenancy.selectors import organization_get_by_slug

from .apps import app_for
from .config import request_data, saml_settings
from .outcomes import REASONS, reason_for
from .selectors import saml_connection_get
from .services import saml_assertion_claim, saml_outcome_record

REFUSED_TEMPLATE = "identity/saml_refused.html"


def _organization_and_connection(organization_slug: str):
    organization = organization_get_by_slug(slug=organization_slug)
    if organization is None:
        raise Http404
    with org_context(organization):
        connection = saml_connection_get(organization=organization)
    if connection is None or not connection.is_ready:
        raise Http404
    return organization, connection


@require_GET
def metadata(request: HttpRequest, organization_slug: str) -> HttpResponse:
    organization, connection = _organization_and_connection(organization_slug)
    config = OneLogin_Saml2_Settings(
        saml_settings(request, connection, organization.slug), sp_validation_only=True
    )
    return HttpResponse(config.get_sp_metadata(), content_type="application/samlmetadata+xml")


@require_GET
def login(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """SP-initiated sign-in: an AuthnRequest to the identity provider, state kept here."""
    organization, connection = _organization_and_connection(organization_slug)
    provider = app_for(organization, connection).get_provider(request)
    auth = OneLogin_Saml2_Auth(
        request_data(request), saml_settings(request, connection, organization.slug)
    )
    url = auth.login(return_to="")
    next_url = request.GET.get("next") or None
    provider.stash_redirect_state(
        request, "login", next_url, None, state_id=auth.get_last_request_id()
    )
    return HttpResponseRedirect(url)


def not_offered(request: HttpRequest, organization_slug: str) -> HttpResponse:
    raise Http404


def finish(request: HttpRequest, organization_slug: str) -> HttpResponse:
    organization, connection = _organization_and_connection(organization_slug)
    with org_context(organization):
        return _finish(request, organization, connection)


def _refuse(request, organization, reason: str, detail: str = "", email: str = "") -> HttpResponse:
    saml_outcome_record(
        organization=organization, succeeded=False, reason=reason, detail=detail, email=email
    )
    return render(
        request,
        REFUSED_TEMPLATE,
        {"organization_name": organization.name, "message": REASONS[reason], "reason": reason},
        status=403,
    )


def _finish(request, organization, connection) -> HttpResponse:
    acs_session = LoginSession(request, "saml_acs_session", "saml-acs-session")
    stored = acs_session.store.get("request")
    acs_session.delete()
    if not stored:
        return _refuse(request, organization, "no_response")
    acs_request = httpkit.deserialize_request(stored, HttpRequest())
    data = request_data(acs_request)
    auth = OneLogin_Saml2_Auth(data, saml_settings(request, connection, organization.slug))
    try:
        response = OneLogin_Saml2_Response(auth.get_settings(), data["post_data"]["SAMLResponse"])
        response.is_valid(data, raise_exceptions=True)
    except KeyError:
        return _refuse(request, organization, "no_response")
    except Exception as exc:  # python3-saml raises its own errors, lxml's and base64's
        return _refuse(request, organization, reason_for(exc), detail=str(exc))
    auth.store_valid_response(response)

    expires = auth.get_last_assertion_not_on_or_after()
    expires_at = (
        dt.datetime.fromtimestamp(expires, tz=dt.UTC)
        if expires
        else timezone.now() + dt.timedelta(hours=8)
    )
    email_hint = _first(auth.get_attributes(), connection.attribute_email) or auth.get_nameid()
    if not saml_assertion_claim(
        organization=organization,
        assertion_id=auth.get_last_assertion_id() or response.get_id() or "",
        expires_at=expires_at,
    ):
        return _refuse(request, organization, "replayed", email=email_hint or "")

    in_response_to = auth.get_last_response_in_response_to()
    if not in_response_to:
        return _refuse(request, organization, "idp_initiated", email=email_hint or "")
    provider = app_for(organization, connection).get_provider(request)
    sociallogin = provider.sociallogin_from_response(request, auth)
    try:
        sociallogin.state = provider.unstash_redirect_state(request, in_response_to)
    except PermissionDenied:
        return _refuse(request, organization, "unknown_request", email=email_hint or "")

    email = (sociallogin.user.email or "").strip().lower()
    if not email:
        return _refuse(request, organization, "no_email")
    linked = (
        SocialAccount.objects.filter(provider=provider.sub_id, uid=sociallogin.account.uid)
        .select_related("user")
        .first()
    )
    user = linked.user if linked else get_user_model().objects.filter(email__iexact=email).first()
    if user is not None:
        member = Membership.objects.for_org(organization).filter(user=user, is_active=True).exists()
        if not member:
            detail = "an existing Chorus account that is not an active member"
            return _refuse(request, organization, "not_a_member", detail=detail, email=email)
    elif not connection.just_in_time:
        detail = "unknown person; just-in-time membership is off"
        return _refuse(request, organization, "not_a_member", detail=detail, email=email)

    attributes = auth.get_attributes()
    sociallogin.state["chorus_saml"] = {
        "organization_id": organization.pk,
        "user_id": user.pk if user else None,
        "team": _first(attributes, connection.attribute_team),
        "role": _first(attributes, connection.attribute_role),
    }
    result = complete_social_login(request, sociallogin)
    if request.user.is_authenticated and request.user.email.lower() == email:
        saml_outcome_record(
            organization=organization,
            succeeded=True,
            reason="signed_in" if user else "joined",
            email=email,
        )
    return result


def _first(attributes: dict, name: str) -> str:
    values = attributes.get(name) or [] if name else []
    return str(values[0]) if values else ""
