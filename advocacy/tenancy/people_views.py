"""People and access: the directory, profiles, invitations, the CSV import and settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy import ratelimit

from . import directory_import, selectors
from .forms import (
    DirectoryFilterForm,
    DirectoryImportForm,
    InviteForm,
    MembershipForm,
    OrganizationSettingsForm,
)
from .invitations import invitation_resend, invitation_revoke, invitations_create_many
from .models import ImportJob, Invitation, Membership, Team
from .permissions import ADMINS, EVERYONE, MANAGERS
from .services import MEMBERSHIP_FIELDS, membership_update, organization_update
from .streaming import csv_stream_response
from .tasks import directory_import_task, enqueue_on_commit
from .views import OrgView

DIRECTORY_PAGE_SIZE = 50


class DirectoryView(OrgView):
    allowed_roles = MANAGERS

    def get(self, request):
        locations = selectors.directory_locations(organization=self.organization)
        form = DirectoryFilterForm(
            request.GET or None, organization=self.organization, locations=locations
        )
        filters = form.cleaned_data if form.is_valid() else {}
        members = selectors.directory_list(
            organization=self.organization,
            viewer=self.membership,
            query=filters.get("q", ""),
            team=filters.get("team"),
            role=filters.get("role", ""),
            location=filters.get("location", ""),
            status=filters.get("status") or "active",
        )
        page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": self.membership.role in ADMINS,
        }
        template = (
            "tenancy/people/_directory_results.html"
            if request.headers.get("HX-Request")
            else "tenancy/people/directory.html"
        )
        return render(request, template, context)


class MemberProfileView(OrgView):
    allowed_roles = MANAGERS

    def get(self, request, pk):
        visible = selectors.members_visible_to(
            organization=self.organization, viewer=self.membership
        )
        member = self.get_org_object(Membership, pk=pk, pk__in=visible.values("pk"))
        reports = (
            self.org_queryset(Membership)
            .filter(manager=member, is_active=True)
            .select_related("user")
            .order_by("user__name")
        )
        return render(
            request,
            "tenancy/people/profile.html",
            {
                "member": member,
                "reports": reports,
                "can_manage": self.membership.role in ADMINS,
            },
        )


class MemberEditView(OrgView):
    allowed_roles = ADMINS

    def _form(self, member, data=None):
        return MembershipForm(
            data, instance=member, organization=self.organization, actor_role=self.membership.role
        )

    def get(self, request, pk):
        member = self.get_org_object(Membership, pk=pk)
        return render(
            request, "tenancy/people/edit.html", {"member": member, "form": self._form(member)}
        )

    def post(self, request, pk):
        member = self.get_org_object(Membership, pk=pk)
        # The form works on a copy: the service compares against what is stored.
        form = self._form(self.get_org_object(Membership, pk=pk), request.POST)
        if form.is_valid():
            fields = {
                name: form.cleaned_data[name]
                for name in MEMBERSHIP_FIELDS
                if name in form.cleaned_data
            }
            try:
                membership_update(
                    organization=self.organization,
                    membership=member,
                    actor=self.membership,
                    **fields,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The person's details are saved."))
                return redirect("tenancy:member", org_slug=self.organization.slug, pk=member.pk)
        return render(
            request, "tenancy/people/edit.html", {"member": member, "form": form}, status=400
        )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class DirectoryExportView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        return csv_stream_response(
            directory_import.export_rows(organization=self.organization),
            organization=self.organization,
            filename=f"{self.organization.slug}-directory.csv",
        )


# Invitation e-mails leave from our domain: a stolen admin account must not turn it into a spam cannon.
INVITATIONS_PER_ORG = "100/h"
INVITATIONS_PER_PERSON = "30/h"


class InvitationListView(OrgView):
    allowed_roles = ADMINS

    def _render(self, request, form, status=200):
        invitations = selectors.invitation_list(organization=self.organization)[:200]
        return render(
            request,
            "tenancy/people/invitations.html",
            {"form": form, "invitations": invitations},
            status=status,
        )

    def _form(self, data=None):
        return InviteForm(data, organization=self.organization, actor_role=self.membership.role)

    def get(self, request):
        return self._render(request, self._form())

    def post(self, request):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        retry = ratelimit.hit(
            "invitations.org", str(self.organization.pk), INVITATIONS_PER_ORG
        ) or ratelimit.hit("invitations.person", str(request.user.pk), INVITATIONS_PER_PERSON)
        if retry is not None:
            form.add_error(None, ratelimit.message(retry))
            response = self._render(request, form, status=429)
            response["Retry-After"] = str(retry)
            return response
        result = invitations_create_many(
            organization=self.organization,
            emails=form.cleaned_data["emails"],
            role=form.cleaned_data["role"],
            team=form.cleaned_data["team"],
            invited_by=request.user,
            actor_role=self.membership.role,
        )
        if result.invited:
            count = len(result.invited)
            messages.success(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", count)
                % {"count": count},
            )
        for email, reason in result.skipped:
            messages.warning(
                request,
                _("The invitation to %(email)s was not sent: %(reason)s")
                % {"email": email, "reason": reason},
            )
        return redirect("tenancy:invitations", org_slug=self.organization.slug)


class InvitationResendView(OrgView):
    allowed_roles = ADMINS

    def post(self, request, pk):
        invitation = self.get_org_object(Invitation, pk=pk)
        try:
            invitation_resend(organization=self.organization, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
            )
        return redirect("tenancy:invitations", org_slug=self.organization.slug)


class InvitationRevokeView(OrgView):
    allowed_roles = ADMINS

    def post(self, request, pk):
        invitation = self.get_org_object(Invitation, pk=pk)
        invitation_revoke(organization=self.organization, invitation=invitation)
        messages.success(
            request, _("Invitation to %(email)s revoked.") % {"email": invitation.email}
        )
        return redirect("tenancy:invitations", org_slug=self.organization.slug)


class DirectoryImportView(OrgView):
    allowed_roles = ADMINS

    def _render(self, request, form, status=200):
        jobs = selectors.import_job_list(organization=self.organization)[:10]
        return render(
            request, "tenancy/people/import.html", {"form": form, "jobs": jobs}, status=status
        )

    def get(self, request):
        return self._render(request, DirectoryImportForm())

    def post(self, request):
        form = DirectoryImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        job = directory_import.import_job_create(
            organization=self.organization,
            created_by=request.user,
            filename=upload.name,
            data=upload.read(),
            send_welcome=form.cleaned_data["send_welcome"],
        )
        if not job.is_finished:
            enqueue_on_commit(
                directory_import_task, organization_id=self.organization.pk, job_id=job.pk
            )
        return redirect("tenancy:import_job", org_slug=self.organization.slug, pk=job.pk)


class ImportJobView(OrgView):
    """The job page; htmx polls the same URL for the progress partial until it is finished."""

    allowed_roles = ADMINS

    def get(self, request, pk):
        job = get_object_or_404(self.org_queryset(ImportJob).defer("content"), pk=pk)
        errors = [
            {"line": e.get("line"), "message": directory_import.error_message(e)}
            for e in job.errors[:1000]
        ]
        context = {"job": job, "errors": errors, "more_errors": max(0, len(job.errors) - 1000)}
        if request.headers.get("HX-Request"):
            return render(request, "tenancy/people/_import_progress.html", context)
        return render(request, "tenancy/people/import_job.html", context)


class OrganizationSettingsView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        return render(
            request,
            "tenancy/settings.html",
            {"form": OrganizationSettingsForm(instance=self._copy())},
        )

    def _copy(self):
        # The form edits a copy; the service saves what changed on the real one.
        from .models import Organization

        return Organization.objects.get(pk=self.organization.pk)

    def post(self, request):
        form = OrganizationSettingsForm(request.POST, request.FILES, instance=self._copy())
        if not form.is_valid():
            return render(request, "tenancy/settings.html", {"form": form}, status=400)
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if "logo" in form.files:
            pass  # the new logo, checked and re-encoded by the form
        elif form.cleaned_data.get("remove_logo"):
            fields["logo"] = ""
        else:
            del fields["logo"]  # no new file: the logo stays
        organization_update(organization=self.organization, actor=self.membership, **fields)
        messages.success(request, _("Settings saved."))
        return redirect("tenancy:settings", org_slug=self.organization.slug)


class OrganizationLogoView(OrgView):
    """The logo, to the organization's members only: for anyone else this address is the
    same 404 as an organization that does not exist. The shell asks for it with the file's
    name in the query, so a new logo is a new address and the browser may keep each one."""

    allowed_roles = EVERYONE

    def get(self, request):
        logo = self.organization.logo
        if not logo:
            raise Http404
        try:
            response = FileResponse(logo.open("rb"), content_type="image/png")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response["Cache-Control"] = "private, max-age=604800"
        response["Content-Disposition"] = "inline"
        return response


class TeamListView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        teams = self.org_queryset(Team).select_related("parent")
        return render(request, "tenancy/people/teams.html", {"teams": _tree(teams)})


def _tree(teams) -> list[tuple[int, Team]]:
    """(depth, team) in tree order, for an indented list."""
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)
    ordered: list[tuple[int, Team]] = []
    seen: set[int] = set()

    def walk(parent_id, depth):
        for team in sorted(children.get(parent_id, []), key=lambda t: t.name.lower()):
            if team.pk in seen:
                continue
            seen.add(team.pk)
            ordered.append((depth, team))
            walk(team.pk, depth + 1)

    walk(None, 0)
    return ordered
