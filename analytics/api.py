"""Analytics API under /api/v1/orgs/<org_slug>/analytics/: conversions (for CRM
reconciliation) and the dead letters of polling (with a retry action)."""

from __future__ import annotations

from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from advocacy.tenancy.api import OrgScopedGenericViewSet
from advocacy.tenancy.permissions import ADMINS
from analytics.engagement.polling import poll_failure_retry
from analytics.models import Conversion, PollFailure


class ConversionSerializer(serializers.ModelSerializer):
    advocate = serializers.IntegerField(source="membership_id", read_only=True)

    class Meta:
        model = Conversion
        fields = [
            "id",
            "click_id",
            "kind",
            "external_id",
            "value",
            "currency",
            "source",
            "occurred_at",
            "share",
            "advocate",
            "campaign",
            "content_id",
            "network",
        ]
        read_only_fields = fields


class ConversionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    """Conversions attributed to the program, newest first (HR admins)."""

    model = Conversion
    serializer_class = ConversionSerializer
    roles = {"*": ADMINS}


class PollFailureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PollFailure
        fields = ["id", "share", "network", "error", "attempts", "created_at", "resolved_at"]
        read_only_fields = fields


class PollFailureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    """Shares whose counters could not be read after every retry (HR admins)."""

    model = PollFailure
    serializer_class = PollFailureSerializer
    roles = {"*": ADMINS}

    def scope_queryset(self, queryset):
        return queryset.filter(resolved_at__isnull=True)

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None, org_slug=None):
        failure = self.get_object()
        poll_failure_retry(organization=self.organization, failure=failure)
        return Response({"status": "scheduled"})
