"""The in-app notice on every page (a page prompt): the employee's connections whose
access ends soon for good, or has ended, with the way back to reconnect."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from advocacy.tenancy.views import OrgView

from . import selectors


class ExpiryPromptView(OrgView):
    def get(self, request):
        connections_url = reverse("social:connections", kwargs={"org_slug": self.organization.slug})
        # The connections page says it in full itself.
        on_connections_page = (
            request.headers.get("HX-Current-URL", "").split("?")[0].endswith(connections_url)
        )
        attention = (
            []
            if on_connections_page
            else selectors.connections_needing_attention(
                organization=self.organization, membership=self.membership
            )
        )
        return render(
            request,
            "social/partials/expiry_prompt.html",
            {"attention": attention, "connections_url": connections_url},
        )
