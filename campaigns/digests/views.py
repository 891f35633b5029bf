"""Digest pages inside an organization: the member's own choice, and the admins' page
(the default, who receives it, what was sent)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import ADMINS, EVERYONE
from advocacy.tenancy.views import OrgView

from . import selectors, services
from .forms import PolicyForm, PreferenceForm
from .models import Frequency


class DigestPreferencesView(OrgView):
    allowed_roles = EVERYONE

    def _form(self, data=None):
        default = selectors.digest_policy_get(organization=self.organization).default_frequency
        initial = {
            "frequency": selectors.digest_preference_get(
                organization=self.organization, membership=self.membership
            )
        }
        return PreferenceForm(
            data, initial=initial, default_label=selectors.frequency_label(default).lower()
        )

    def _page(self, request, form, status=200):
        frequency = selectors.effective_frequency(
            organization=self.organization, membership=self.membership
        )
        return render(
            request,
            "campaigns/digests/preferences.html",
            {
                "form": form,
                "effective": frequency,
                "effective_label": selectors.frequency_label(frequency),
            },
            status=status,
        )

    def get(self, request):
        return self._page(request, self._form())

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.digest_preference_set(
                    organization=self.organization,
                    membership=self.membership,
                    frequency=form.cleaned_data["frequency"],
                )
            except ValidationError as error:
                form.add_error("frequency", error.messages)
            else:
                messages.success(request, _("Your digest choice is saved."))
                return redirect("campaigns:digest_preferences", org_slug=self.organization.slug)
        return self._page(request, form, status=400)


class DigestAdminView(OrgView):
    allowed_roles = ADMINS

    def _page(self, request, form, status=200):
        recipients = selectors.digest_recipients(organization=self.organization)
        groups = [
            {"key": key, "label": label, "members": recipients.get(key, [])}
            for key, label in Frequency.choices
        ]
        log = Paginator(selectors.digest_log(organization=self.organization), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "campaigns/digests/admin.html",
            {"form": form, "groups": groups, "log": log},
            status=status,
        )

    def get(self, request):
        policy = selectors.digest_policy_get(organization=self.organization)
        return self._page(
            request, PolicyForm(initial={"default_frequency": policy.default_frequency})
        )

    def post(self, request):
        form = PolicyForm(request.POST)
        if form.is_valid():
            services.digest_policy_set(
                organization=self.organization,
                actor=self.membership,
                default_frequency=form.cleaned_data["default_frequency"],
            )
            messages.success(request, _("Digest default saved."))
            return redirect("campaigns:digest_admin", org_slug=self.organization.slug)
        return self._page(request, form, status=400)
