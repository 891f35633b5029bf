from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from advocacy.tenancy.views import OrgView

from .models import ApiToken
from .services import api_token_create, api_token_revoke, user_set_language


@require_POST
def set_language(request):
    """Django's language switch, remembered on the person's account too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return response


class ApiTokenListView(OrgView):
    def _tokens(self):
        return self.org_queryset(ApiToken).filter(user=self.request.user)

    def get(self, request):
        return render(request, "accounts/tokens.html", {"tokens": self._tokens()})

    def post(self, request):
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 80:
            messages.error(request, _("Give the token a name of at most 80 characters."))
            return render(request, "accounts/tokens.html", {"tokens": self._tokens()}, status=400)
        _token, raw = api_token_create(organization=self.organization, user=request.user, name=name)
        return render(request, "accounts/tokens.html", {"tokens": self._tokens(), "new_token": raw})


class ApiTokenRevokeView(OrgView):
    def post(self, request, pk):
        token = self.get_org_object(ApiToken, pk=pk, user=request.user)
        api_token_revoke(organization=self.organization, token=token)
        messages.success(request, _("Token revoked."))
        return redirect("accounts:tokens", org_slug=self.organization.slug)
