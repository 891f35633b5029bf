"""Pages outside any organization: the landing redirect and creating an organization."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from .forms import OrganizationCreateForm
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
