"""The organization's home: the onboarding checklist for admins, quick links for everyone."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from .navigation import landing_url_for
from .permissions import ADMINS
from .public_views import LAST_ORG_SESSION_KEY
from .services import ONBOARDING_STEPS
from .views import OrgView

STEP_LABELS = {
    "invite_people": _("Invite your people"),
    "add_content": _("Add approved content to the library"),
    "connect_network": _("Connect a social network"),
    "launch_campaign": _("Launch a first campaign"),
}


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
                {"key": step, "label": STEP_LABELS[step], "done": bool(done.get(step))}
                for step in ONBOARDING_STEPS
            ]
        return render(request, "tenancy/org_home.html", {"checklist": checklist})
