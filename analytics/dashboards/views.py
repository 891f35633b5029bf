"""The dashboards: one view per page, htmx filters, CSV/XLSX export of every table.

A filter change re-renders only the body (htmx, with the URL updated so it can
be shared and reloaded); `?export=csv&table=<key>` downloads that table with the
same filters. Managers see their own tree only, whatever team they pick;
employees see their own results only.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.permissions import ADMINS, CURATORS, EVERYONE, MANAGER, MANAGERS
from advocacy.tenancy.views import OrgView
from analytics.apps import DASHBOARD_ROLES
from analytics.dashboards.exports import table_csv, table_xlsx
from analytics.dashboards.figures import scope_members
from analytics.dashboards.pages import PAGES
from analytics.forms import DashboardFilterForm

TABS = [
    ("overview", _("Overview"), DASHBOARD_ROLES),
    ("value", _("Value"), ADMINS),
    ("benchmarks", _("Benchmarks"), CURATORS),
    ("trends", _("Long-term"), ADMINS),
    ("campaigns", _("Campaigns"), DASHBOARD_ROLES),
    ("content", _("Content"), CURATORS),
    ("team", _("Team"), MANAGERS),
    ("me", _("My results"), EVERYONE),
]


class DashboardView(OrgView):
    page = "overview"
    title = _("Program overview")
    template_name = "analytics/dashboard.html"
    allowed_roles = DASHBOARD_ROLES
    personal = False
    default_days = 30

    def get(self, request):
        params = request.GET.copy()
        export = params.pop("export", [""])[-1]
        table_key = params.pop("table", [""])[-1]
        form = DashboardFilterForm(
            params,
            organization=self.organization,
            teams=not self.personal,
            default_days=self.default_days,
        )
        if not form.is_valid():
            return self._render(request, form, None, status=400)
        filters = form.filters()
        if self.personal:
            filters.member_ids = {self.membership.pk}
        else:
            filters.member_ids = scope_members(
                organization=self.organization, viewer=self.membership, team=filters.team
            )
        page = PAGES[self.page](self.organization, filters)
        if export:
            table = page.table(table_key)
            if table is None or export not in ("csv", "xlsx"):
                raise Http404
            filename = f"chorus-{self.page}-{table.key}-{filters.start}-{filters.end}"
            return table_csv(table, filename) if export == "csv" else table_xlsx(table, filename)
        return self._render(request, form, page, filters=filters)

    def _render(self, request, form, page, *, filters=None, status=200):
        tabs = [
            {
                "url": reverse(f"analytics:{key}", kwargs={"org_slug": self.organization.slug}),
                "label": label,
                "active": key == self.page,
            }
            for key, label, roles in TABS
            if self.membership.role in roles
        ]
        context = {
            "title": self.title,
            "page_key": self.page,
            "form": form,
            "page": page,
            "filters": filters,
            "tabs": tabs,
            "query": request.GET.copy(),
            "tree_only": self.membership.role == MANAGER,
            "currency": self.organization.currency,
        }
        template = (
            "analytics/partials/dashboard_body.html"
            if request.headers.get("HX-Request")
            else self.template_name
        )
        return render(request, template, context, status=status)


class OverviewView(DashboardView):
    pass


class ValueView(DashboardView):
    page, title, allowed_roles = "value", _("Value of the program"), ADMINS


class BenchmarksView(DashboardView):
    page, title, allowed_roles = "benchmarks", _("Benchmarks"), CURATORS


class TrendsView(DashboardView):
    page, title, allowed_roles, default_days = "trends", _("Long-term trends"), ADMINS, 365


class CampaignReportView(DashboardView):
    page, title = "campaigns", _("Campaign report")


class ContentView(DashboardView):
    page, title, allowed_roles = "content", _("Content performance"), CURATORS


class TeamView(DashboardView):
    page, title, allowed_roles = "team", _("Team dashboard"), MANAGERS


class PersonalView(DashboardView):
    page, title, allowed_roles, personal = "me", _("My results"), EVERYONE, True
