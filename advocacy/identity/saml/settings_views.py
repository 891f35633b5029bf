"""The owner's SAML settings page under /o/<org>/settings/saml/ (owners only: whoever
configures the identity provider can sign in as any member, the owners included)."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import OWNERS
from advocacy.tenancy.views import OrgView

from .config import MetadataError, parse_metadata, sp_urls
from .forms import SamlSettingsForm
from .models import SamlConnection
from .outcomes import REASONS
from .selectors import saml_connection_get, saml_metadata_state, saml_outcomes_recent
from .services import SETTING_FIELDS, saml_connection_update, saml_metadata_refetch

TEMPLATE = "identity/saml_settings.html"


class SamlSettingsView(OrgView):
    allowed_roles = OWNERS

    def _connection(self) -> SamlConnection:
        return saml_connection_get(organization=self.organization) or SamlConnection(
            organization=self.organization
        )

    def _render(self, request, form, status=200, check=None):
        connection = saml_connection_get(organization=self.organization)
        outcomes = [
            {
                "at": o.at,
                "succeeded": o.succeeded,
                "email": o.email,
                "reason": REASONS.get(o.reason, o.reason),
                "detail": o.detail,
            }
            for o in saml_outcomes_recent(organization=self.organization)
        ]
        last_success = next((o for o in outcomes if o["succeeded"]), None)
        return render(
            request,
            TEMPLATE,
            {
                "form": form,
                "connection": connection,
                "urls": sp_urls(request, self.organization.slug),
                "outcomes": outcomes,
                "last_success": last_success,
                "check": check,
                "metadata_state": saml_metadata_state(connection=connection),
                "status_url": reverse(
                    "identity_saml:metadata_status", kwargs={"org_slug": self.organization.slug}
                ),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, SamlSettingsForm(instance=self._connection()))

    def post(self, request):
        if request.POST.get("action") == "test":
            return self._test(request)
        form = SamlSettingsForm(request.POST, request.FILES, instance=self._connection())
        if not form.is_valid():
            return self._render(request, form, status=400)
        fields = {name: form.cleaned_data[name] for name in SETTING_FIELDS}
        try:
            saml_connection_update(
                organization=self.organization,
                actor=self.membership,
                metadata_xml=form.cleaned_data["metadata_file"] or None,
                metadata_url=form.cleaned_data["metadata_url"] or None,
                **fields,
            )
        except MetadataError as exc:
            form.add_error(None, str(exc))
            return self._render(request, form, status=400)
        messages.success(request, _("Single sign-on settings saved."))
        return redirect("identity_saml:settings", org_slug=self.organization.slug)

    def _test(self, request):
        """Check what sign-in depends on without signing anyone in. Metadata that came from a
        URL is fetched again by a task (the page shows "fetching", then the outcome);
        uploaded metadata is read again at once and its certificates checked for today."""
        connection = saml_connection_get(organization=self.organization)
        form = SamlSettingsForm(instance=connection or self._connection())
        if connection is None or not (connection.idp_metadata_xml or connection.idp_metadata_url):
            check = {"ok": False, "message": _("Upload the identity provider's metadata first.")}
            return self._render(request, form, status=400, check=check)
        if connection.idp_metadata_url:
            saml_metadata_refetch(organization=self.organization, connection=connection)
            return redirect("identity_saml:settings", org_slug=self.organization.slug)
        try:
            parse_metadata(connection.idp_metadata_xml)
        except MetadataError as exc:
            return self._render(request, form, status=400, check={"ok": False, "message": str(exc)})
        message = _("The metadata reads and its signing certificate is valid.")
        return self._render(request, form, check={"ok": True, "message": message})


class SamlMetadataStatusView(OrgView):
    """What the settings page asks while the metadata is being fetched (nothing else)."""

    allowed_roles = OWNERS

    def get(self, request):
        connection = saml_connection_get(organization=self.organization)
        response = JsonResponse({"status": saml_metadata_state(connection=connection)})
        response["Cache-Control"] = "no-store"
        return response
