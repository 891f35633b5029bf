"""What the social account adapter does for SAML sign-ins (advocacy/accounts/adapters.py).

The ACS view has already decided who may sign in and put it in the login's state
(``chorus_saml``): an existing member is linked to this organization's SAML identity, a new
person (just-in-time on) gets an account whose e-mail the organization's identity provider
vouches for, and then a membership with the mapped role and team.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization

from .apps import PREFIX
from .services import saml_member_join


def is_saml(sociallogin) -> bool:
    return sociallogin.account.provider.startswith(PREFIX) and "chorus_saml" in sociallogin.state


def pre_social_login(request, sociallogin) -> None:
    if not is_saml(sociallogin) or sociallogin.is_existing:
        return
    user_id = sociallogin.state["chorus_saml"].get("user_id")
    if user_id:
        sociallogin.connect(request, get_user_model().objects.get(pk=user_id))


def populate_name(user, data: dict) -> None:
    name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
    if name and not user.name:
        user.name = name[:150]


def join_after_signup(sociallogin) -> None:
    state = sociallogin.state["chorus_saml"]
    organization = Organization.objects.get(pk=state["organization_id"])
    with org_context(organization):
        saml_member_join(
            organization=organization,
            user=sociallogin.user,
            attributes={"team": state.get("team", ""), "role": state.get("role", "")},
        )
