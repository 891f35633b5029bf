"""The owner's SCIM screen: the base URL, tokens, a connection test, the last sync and errors."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import OWNERS
from advocacy.tenancy.views import OrgView

from .connection import scim_connection_test
from .models import ScimToken
from .selectors import scim_last_request, scim_last_sync, scim_recent_errors, scim_token_list
from .tokens import scim_token_create, scim_token_revoke


class ScimSettingsView(OrgView):
    allowed_roles = OWNERS

    def _render(self, request, status=200, **extra):
        org = self.organization
        base_url = request.build_absolute_uri(reverse("scim-root", kwargs={"org_slug": org.slug}))
        context = {
            "base_url": base_url,
            "tokens": scim_token_list(organization=org),
            "last_sync": scim_last_sync(organization=org),
            "last_request": scim_last_request(organization=org),
            "errors": scim_recent_errors(organization=org),
            **extra,
        }
        return render(request, "identity/scim_settings.html", context, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if request.POST.get("action") == "test":
            result = scim_connection_test(
                organization=self.organization,
                raw_token=request.POST.get("token", "").strip(),
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
            return self._render(request, test_result=result)
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 80:
            messages.error(request, _("Give the token a name of at most 80 characters."))
            return self._render(request, status=400)
        _token, raw = scim_token_create(
            organization=self.organization, actor=self.membership, name=name
        )
        return self._render(request, new_token=raw)


class ScimTokenRevokeView(OrgView):
    allowed_roles = OWNERS

    def post(self, request, pk):
        token = self.get_org_object(ScimToken, pk=pk)
        scim_token_revoke(organization=self.organization, actor=self.membership, token=token)
        messages.success(request, _("SCIM token revoked. Identity providers using it are refused."))
        return redirect("identity_scim:settings", org_slug=self.organization.slug)
