"""My data (everyone) and organization data (owners): exports, deleting an account,
deleting the organization. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from advocacy.tenancy.permissions import EVERYONE, OWNERS
from advocacy.tenancy.views import OrgView

from . import services
from .models import DataExport


class _Exports(OrgView):
    def my_exports(self):
        return self.org_queryset(DataExport).filter(
            kind=DataExport.Kind.PERSONAL, requested_by=self.request.user
        )

    def organization_exports(self):
        return self.org_queryset(DataExport).filter(kind=DataExport.Kind.ORGANIZATION)

    def visible_exports(self):
        if self.membership.role in OWNERS:
            return self.my_exports() | self.organization_exports()
        return self.my_exports()


class MyDataView(_Exports):
    allowed_roles = EVERYONE

    def _render(self, request, status=200, error=""):
        return render(
            request,
            "privacy/my_data.html",
            {"exports": self.my_exports()[:10], "error": error},
            status=status,
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        person = request.POST.get("person")
        try:
            services.personal_export_request(
                organization=self.organization,
                requester=self.membership,
                person_id=int(person) if person and person.isdigit() else None,
            )
        except ValidationError as error:
            return self._render(request, status=400, error=" ".join(error.messages))
        messages.success(request, _("Your archive is being prepared."))
        return redirect("privacy:my_data", org_slug=self.organization.slug)


class ExportStatusView(_Exports):
    """The progress row; htmx polls it until the archive is ready."""

    allowed_roles = EVERYONE

    def get(self, request, pk):
        export = self.get_org_object(DataExport, pk=pk, pk__in=self.visible_exports().values("pk"))
        return render(request, "privacy/_export_row.html", {"export": export})


class ExportDownloadView(_Exports):
    allowed_roles = EVERYONE

    def get(self, request, pk):
        export = self.get_org_object(DataExport, pk=pk, pk__in=self.visible_exports().values("pk"))
        if export.status != DataExport.Status.READY or not export.archive:
            raise Http404
        return FileResponse(
            export.archive.open("rb"),
            as_attachment=True,
            filename=export.archive.name.rsplit("/", 1)[-1],
            content_type="application/zip",
        )


class AccountDeleteView(OrgView):
    allowed_roles = EVERYONE

    def post(self, request):
        try:
            posts = services.account_delete(
                user=request.user, confirm_email=request.POST.get("confirm_email", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("privacy:my_data", org_slug=self.organization.slug)
        logout(request)
        return render(request, "privacy/account_deleted.html", {"posts": posts})


class OrganizationDataView(_Exports):
    allowed_roles = OWNERS

    def _render(self, request, status=200):
        return render(
            request,
            "privacy/organization.html",
            {
                "exports": self.organization_exports()[:10],
                "retention": services.retention_policy_get(organization=self.organization),
                "deletion": services.organization_pending_deletion(organization=self.organization),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        action = request.POST.get("action")
        try:
            if action == "export":
                services.organization_export_request(
                    organization=self.organization, requester=self.membership
                )
                messages.success(request, _("The organization's archive is being prepared."))
            elif action == "delete":
                services.organization_deletion_schedule(
                    organization=self.organization,
                    actor=self.membership,
                    confirm_slug=request.POST.get("confirm_slug", ""),
                )
                messages.warning(request, _("The organization is scheduled for deletion."))
            elif action == "retention":
                services.retention_policy_set(
                    organization=self.organization,
                    actor=self.membership,
                    raw_clicks_days=_days(request.POST.get("raw_clicks_days")),
                    metric_snapshots_days=_days(request.POST.get("metric_snapshots_days")),
                )
                messages.success(request, _("Data retention saved."))
            elif action == "cancel":
                services.organization_deletion_cancel(
                    organization=self.organization, actor=self.membership
                )
                messages.success(request, _("Deletion cancelled."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._render(request, status=400)
        return redirect("privacy:organization", org_slug=self.organization.slug)


def _days(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(_("Enter a whole number of days, or leave the field empty."))
    return int(value)
