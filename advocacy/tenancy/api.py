"""The one base for API endpoints under /api/v1/orgs/<org_slug>/.

`OrgScopedViewSet` resolves membership after DRF authentication (session or
Bearer token), checks the role for the action, and builds every queryset
from `model.objects.for_org(organization)`. Subclasses narrow it with
`scope_queryset()`; they may not override `get_queryset` or `get_object`,
so an object of another organization is always a 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from .permissions import EVERYONE
from .selectors import membership_get

_FORBIDDEN_OVERRIDES = ("get_queryset", "get_object", "initial")


class OrgScopedMixin:
    model = None
    # action name → roles; "*" is the default for actions not listed
    roles: dict[str, frozenset[str]] = {"*": EVERYONE}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _FORBIDDEN_OVERRIDES:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}; use scope_queryset()")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        organization = getattr(request._request, "organization", None)
        if organization is None:
            raise exceptions.NotFound
        membership = getattr(request._request, "membership", None)
        if membership is None or membership.user_id != getattr(request.user, "pk", None):
            membership = membership_get(organization=organization, user=request.user)
        if membership is None:
            raise exceptions.NotFound
        token_org = getattr(request.auth, "organization_id", None)
        if token_org is not None and token_org != organization.pk:
            raise exceptions.NotFound
        self.organization = organization
        self.membership = membership
        allowed = self.roles.get(getattr(self, "action", None) or "", self.roles.get("*", EVERYONE))
        if membership.role not in allowed:
            raise exceptions.PermissionDenied

    def scope_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no org
            return self.model.objects.none()
        return self.scope_queryset(self.model.objects.for_org(self.organization))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = getattr(self, "organization", None)
        context["membership"] = getattr(self, "membership", None)
        return context


class OrgScopedViewSet(OrgScopedMixin, viewsets.ModelViewSet):
    pass


class OrgScopedReadOnlyViewSet(OrgScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class OrgScopedGenericViewSet(OrgScopedMixin, viewsets.GenericViewSet):
    pass


def exception_handler(exc, context):
    """Domain validation errors from services become 400s with field errors, not 500s."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


class OrgRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to another row of the caller's organization. A row of another
    organization gets the same error as a row that does not exist."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.for_org(self.context["organization"])
