"""API: an employee's own connections (list, disconnect) and, for admins,
every connection's health. Tokens are never part of any answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from advocacy.tenancy.api import OrgScopedGenericViewSet
from advocacy.tenancy.permissions import ADMINS, EVERYONE
from social import selectors, services
from social.models import Connection


class ConnectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Connection
        fields = [
            "id",
            "network",
            "handle",
            "display_name",
            "profile_url",
            "followers",
            "status",
            "expires_at",
            "last_error",
            "connected_at",
        ]
        read_only_fields = fields


class ConnectionHealthSerializer(ConnectionSerializer):
    membership = serializers.IntegerField(source="membership_id", read_only=True)
    email = serializers.EmailField(source="membership.user.email", read_only=True)
    team = serializers.CharField(source="membership.team.name", default="", read_only=True)

    class Meta(ConnectionSerializer.Meta):
        fields = [*ConnectionSerializer.Meta.fields, "membership", "email", "team"]
        read_only_fields = fields


class ConnectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    """The caller's own connected accounts."""

    model = Connection
    serializer_class = ConnectionSerializer
    roles = {"*": EVERYONE}

    def scope_queryset(self, queryset):
        return queryset.filter(membership=self.membership).exclude(
            status=Connection.Status.DISCONNECTED
        )

    @action(detail=True, methods=["post"])
    def disconnect(self, request, pk=None, **kwargs):
        connection = self.get_object()
        services.connection_disconnect(
            organization=self.organization,
            connection=connection,
            actor=self.membership,
            revoke_in_task=True,
        )
        return Response(self.get_serializer(connection).data)


class HealthRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    connected = serializers.IntegerField()
    expiring = serializers.IntegerField()
    broken = serializers.IntegerField()


class HealthSummarySerializer(serializers.Serializer):
    totals = HealthRowSerializer()
    by_network = HealthRowSerializer(many=True)
    by_team = HealthRowSerializer(many=True)


class ConnectionHealthViewSet(mixins.ListModelMixin, OrgScopedGenericViewSet):
    """Every connection of the organization with its state, for admins."""

    model = Connection
    serializer_class = ConnectionHealthSerializer
    roles = {"*": ADMINS}

    def scope_queryset(self, queryset):
        queryset = queryset.exclude(status=Connection.Status.DISCONNECTED).select_related(
            "membership__user", "membership__team"
        )
        wanted = self.request.query_params.get("status")
        return queryset.filter(status=wanted) if wanted else queryset

    @extend_schema(responses=HealthSummarySerializer)
    @action(detail=False, methods=["get"])
    def summary(self, request, **kwargs):
        health = selectors.connection_health(organization=self.organization)

        def row(r):
            return {
                "label": r.label,
                "connected": r.connected,
                "expiring": r.expiring,
                "broken": r.broken,
            }

        return Response(
            {
                "totals": row(health.totals),
                "by_network": [row(r) for r in health.by_network],
                "by_team": [row(r) for r in health.by_team],
            }
        )
