from drf_spectacular.utils import extend_schema
from rest_framework import mixins, response, views

from .api import OrgScopedGenericViewSet, OrgScopedMixin, OrgScopedViewSet
from .models import Membership, Team
from .permissions import ADMINS, EVERYONE
from .serializers import MembershipSerializer, OrganizationSerializer, TeamSerializer


class OrganizationView(OrgScopedMixin, views.APIView):
    """The organization the URL names, as the caller sees it."""

    @extend_schema(responses=OrganizationSerializer)
    def get(self, request, org_slug):
        return response.Response(OrganizationSerializer(self.organization).data)


class TeamViewSet(OrgScopedViewSet):
    model = Team
    serializer_class = TeamSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "*": ADMINS}

    def perform_create(self, serializer):
        serializer.save(organization=self.organization)


class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, OrgScopedGenericViewSet
):
    model = Membership
    serializer_class = MembershipSerializer
    roles = {"*": ADMINS}

    def scope_queryset(self, queryset):
        return queryset.select_related("user")
