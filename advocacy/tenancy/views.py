"""The one base for HTML views under /o/<org_slug>/.

Subclasses get `self.organization` and `self.membership`, declare the roles
that may use them, and fetch objects only through `org_queryset()` /
`get_org_object()`. They may not override `dispatch`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from .permissions import EVERYONE


class OrgView(View):
    allowed_roles: frozenset[str] = EVERYONE

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "dispatch" in cls.__dict__:
            raise TypeError(f"{cls.__name__} may not override OrgView.dispatch")

    def dispatch(self, request, *args, **kwargs):
        organization = getattr(request, "organization", None)
        membership = getattr(request, "membership", None)
        if organization is None or membership is None:
            raise Http404
        kwargs.pop("org_slug", None)
        if membership.role not in self.allowed_roles:
            raise PermissionDenied
        self.organization = organization
        self.membership = membership
        return super().dispatch(request, *args, **kwargs)

    def org_queryset(self, model):
        return model.objects.for_org(self.organization)

    def get_org_object(self, model, **lookup):
        return get_object_or_404(self.org_queryset(model), **lookup)
