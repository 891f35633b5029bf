"""Pages outside any organization: the landing redirect, creating an organization, and
accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from .forms import InvitationAcceptForm, OrganizationCreateForm
from .invitations import InvitationUnusable, invitation_accept, invitation_get_by_token
from .models import Invitation
from .selectors import organizations_for_user
from .services import organization_create

LAST_ORG_SESSION_KEY = "chorus_last_org"


@login_required
def home(request):
    organizations = list(organizations_for_user(user=request.user))
    if not organizations:
        return redirect("organization_create")
    last = request.session.get(LAST_ORG_SESSION_KEY)
    chosen = next((o for o in organizations if o.slug == last), organizations[0])
    return redirect(reverse("tenancy:org_home", kwargs={"org_slug": chosen.slug}))


class OrganizationCreateView(LoginRequiredMixin, View):
    template_name = "tenancy/organization_create.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OrganizationCreateForm()})

    def post(self, request):
        form = OrganizationCreateForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        organization = organization_create(owner=request.user, **form.cleaned_data)
        return redirect(reverse("tenancy:org_home", kwargs={"org_slug": organization.slug}))


class InvitationAcceptView(View):
    """/invitations/<token>/: join an organization from an emailed link.

    Every refusal (unknown, expired, revoked, already used, meant for another
    address) is a page that says so and changes nothing."""

    template_name = "tenancy/invitation_accept.html"

    def _page(self, request, invitation, *, status=200, problem="", form=None):
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "problem": problem,
                "form": form,
                "existing_account": invitation is not None and _account_exists(invitation.email),
                "token": self.kwargs["token"],
            },
            status=status,
        )

    def _check(self, request, invitation):
        """The page to show instead of accepting, or None when this person may accept."""
        if invitation is None:
            return self._page(request, None, status=404, problem="unknown")
        if invitation.state != Invitation.State.PENDING:
            return self._page(request, invitation, status=410, problem=invitation.state)
        user = request.user
        if user.is_authenticated and user.email.lower() != invitation.email.lower():
            return self._page(request, invitation, status=403, problem="other_email")
        return None

    def get(self, request, token):
        invitation = invitation_get_by_token(raw=token)
        refusal = self._check(request, invitation)
        if refusal is not None:
            return refusal
        form = (
            None
            if request.user.is_authenticated or _account_exists(invitation.email)
            else InvitationAcceptForm()
        )
        return self._page(request, invitation, form=form)

    def post(self, request, token):
        invitation = invitation_get_by_token(raw=token)
        refusal = self._check(request, invitation)
        if refusal is not None:
            return refusal
        form = None
        try:
            if request.user.is_authenticated:
                membership = invitation_accept(invitation=invitation, user=request.user)
            else:
                if _account_exists(invitation.email):
                    return self._page(request, invitation, status=400)
                form = InvitationAcceptForm(request.POST)
                if not form.is_valid():
                    return self._page(request, invitation, status=400, form=form)
                membership = invitation_accept(
                    invitation=invitation,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        except InvitationUnusable as refused:
            return self._page(request, invitation, status=410, problem=refused.state)
        except ValidationError as error:
            if form is not None:
                form.add_error("password1" if not hasattr(error, "error_dict") else None, error)
            return self._page(
                request, invitation, status=400, form=form, problem="" if form else "invalid"
            )
        request.session[LAST_ORG_SESSION_KEY] = invitation.organization.slug
        messages.success(
            request, _("Welcome to %(name)s!") % {"name": invitation.organization.name}
        )
        return redirect(
            reverse("tenancy:org_home", kwargs={"org_slug": invitation.organization.slug})
        )


def _account_exists(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


@login_required
def sso_required(request):
    """Where people land when their organization admits single sign-on only."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return render(request, "tenancy/sso_required.html", {"next": next_url}, status=403)
