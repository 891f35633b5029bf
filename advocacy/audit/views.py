"""The audit trail page for owners and admins, and its CSV export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import ADMINS
from advocacy.tenancy.streaming import csv_stream_response
from advocacy.tenancy.views import OrgView

from .forms import AuditFilterForm
from .selectors import audit_entry_list
from .services import audit_record

PAGE_SIZE = 50


class _Filtered(OrgView):
    allowed_roles = ADMINS

    def entries(self, request):
        form = AuditFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        entries = audit_entry_list(
            organization=self.organization,
            action=filters.get("action", ""),
            actor=filters.get("actor", ""),
            since=filters.get("since"),
            until=filters.get("until"),
        )
        return form, filters, entries


class AuditTrailView(_Filtered):
    def get(self, request):
        form, _filters, entries = self.entries(request)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "audit/trail.html",
            {"form": form, "page": page, "query": query.urlencode()},
        )


class AuditExportView(_Filtered):
    def get(self, request):
        _form, filters, entries = self.entries(request)
        audit_record(
            organization=self.organization,
            actor=self.membership,
            action="audit.exported",
            details={k: v for k, v in filters.items() if v},
        )
        header = [_("Time (UTC)"), _("Who"), _("Action"), _("Code"), _("On"), _("Details")]

        def rows():
            yield header
            for entry in entries.iterator(chunk_size=500):
                yield [
                    entry.created_at.isoformat(),
                    entry.actor_label,
                    entry.action_label,
                    entry.action,
                    entry.target_label,
                    entry.details,
                ]

        return csv_stream_response(
            rows(), organization=self.organization, filename=f"audit-{self.organization.slug}.csv"
        )
