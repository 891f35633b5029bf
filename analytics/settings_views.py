"""The admins' analytics settings: the value formula and costs, read budgets and usage,
industry values, conversion keys and snippet, the CRM webhook, and polls that failed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import ADMINS
from advocacy.tenancy.views import OrgView
from analytics import selectors, services
from analytics.conversions.webhooks import webhook_secret
from analytics.forms import ConversionKeyForm, ValueSettingsForm, WebhookForm
from analytics.models import ConversionKey, PollFailure


def _pk(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


class AnalyticsSettingsView(OrgView):
    allowed_roles = ADMINS

    def _url(self) -> str:
        return reverse("analytics:settings", kwargs={"org_slug": self.organization.slug})

    def get(
        self, request, *, value_form=None, webhook_form=None, key_form=None, new_key="", status=200
    ):
        current = selectors.analytics_settings_get(organization=self.organization)
        context = {
            "value_form": value_form
            or ValueSettingsForm(initial=ValueSettingsForm.initial_from(current)),
            "webhook_form": webhook_form
            or WebhookForm(
                initial={
                    "webhook_url": current.webhook_url,
                    "max_conversions_per_click": current.max_conversions_per_click,
                }
            ),
            "key_form": key_form or ConversionKeyForm(),
            "settings": current,
            "webhook_secret": webhook_secret(current),
            "new_key": new_key,
            "keys": selectors.conversion_key_list(organization=self.organization),
            "usage": selectors.read_usage(organization=self.organization),
            "failures": selectors.poll_failure_list(organization=self.organization)[:50],
            "webhook_failures": selectors.webhook_failure_list(organization=self.organization),
            "changes": selectors.settings_change_list(organization=self.organization),
            "snippet_url": request.build_absolute_uri(f"/t/{current.public_key}.js"),
            "api_url": request.build_absolute_uri("/api/v1/conversions"),
        }
        return render(request, "analytics/settings.html", context, status=status)

    def post(self, request):
        action = request.POST.get("action", "")
        org = self.organization
        if action == "value":
            form = ValueSettingsForm(request.POST)
            if not form.is_valid():
                return self.get(request, value_form=form, status=400)
            services.analytics_settings_update(
                organization=org, actor=self.membership, **form.settings_fields()
            )
            messages.success(request, _("The value formula and budgets are saved."))
        elif action == "webhook":
            form = WebhookForm(request.POST)
            if not form.is_valid():
                return self.get(request, webhook_form=form, status=400)
            changes = {k: v for k, v in form.cleaned_data.items() if v is not None}
            services.analytics_settings_update(organization=org, actor=self.membership, **changes)
            messages.success(request, _("The CRM webhook is saved."))
        elif action == "rotate_secret":
            current = selectors.analytics_settings_get(organization=org)
            services.webhook_secret_rotate(organization=org, analytics_settings=current)
            messages.success(request, _("A new signing secret is in place. Update your CRM."))
        elif action == "key_create":
            form = ConversionKeyForm(request.POST)
            if not form.is_valid():
                return self.get(request, key_form=form, status=400)
            _key, raw = services.conversion_key_create(
                organization=org, actor=self.membership, name=form.cleaned_data["name"]
            )
            return self.get(request, new_key=raw)
        elif action == "key_revoke":
            key = self.get_org_object(ConversionKey, pk=_pk(request.POST.get("key")))
            services.conversion_key_revoke(organization=org, key=key)
            messages.success(
                request, _("The key is revoked; calls with it are refused from now on.")
            )
        elif action == "retry_failure":
            failure = self.get_org_object(PollFailure, pk=_pk(request.POST.get("failure")))
            services.poll_failure_retry(organization=org, failure=failure)
            messages.success(request, _("The share will be read again in a minute."))
        else:
            messages.error(request, _("That action is not available; nothing was changed."))
        return redirect(self._url())
