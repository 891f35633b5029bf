"""The organization's home: the onboarding checklist for admins, quick links for everyone."""

from django.shortcuts import redirect, render

from .navigation import home_figures_for, landing_url_for, onboarding_steps
from .permissions import ADMINS
from .public_views import LAST_ORG_SESSION_KEY
from .views import OrgView


class OrganizationHomeView(OrgView):
    def get(self, request):
        request.session[LAST_ORG_SESSION_KEY] = self.organization.slug
        landing = landing_url_for(self.organization, self.membership)
        if landing and "home" not in request.GET:
            return redirect(landing)
        checklist = None
        if self.membership.role in ADMINS:
            done = self.organization.onboarding
            checklist = [
                {"key": step.key, "label": step.label, "done": bool(done.get(step.key))}
                for step in onboarding_steps()
            ]
        figures = (
            home_figures_for(self.organization, self.membership)
            if self.membership.role in ADMINS
            else []
        )
        return render(
            request, "tenancy/org_home.html", {"checklist": checklist, "figures": figures}
        )
