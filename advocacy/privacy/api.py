"""Data rights through the API, under /api/v1/orgs/<org_slug>/privacy/: a person's own
exports (ask, follow, download) and deleting one's own account. Only ever the caller's
own data: someone else's export, or one of another organization, is a 404."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from advocacy.tenancy.api import OrgScopedGenericViewSet

from . import services
from .models import DataExport


class DataExportSerializer(serializers.ModelSerializer):
    kept_until = serializers.DateTimeField(read_only=True)

    class Meta:
        model = DataExport
        fields = ["id", "kind", "status", "progress", "created_at", "finished_at", "kept_until"]
        read_only_fields = fields


class PersonalExportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet
):
    """The caller's own personal exports."""

    model = DataExport
    serializer_class = DataExportSerializer

    def scope_queryset(self, queryset):
        return queryset.filter(requested_by=self.request.user, kind=DataExport.Kind.PERSONAL)

    @extend_schema(request=None, responses={202: DataExportSerializer})
    def create(self, request, org_slug=None):
        export = services.personal_export_request(
            organization=self.organization, requester=self.membership
        )
        export.refresh_from_db()
        return Response(DataExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, org_slug=None, pk=None):
        export = self.get_object()
        if export.status != DataExport.Status.READY or not export.archive:
            raise Http404
        return FileResponse(
            export.archive.open("rb"),
            as_attachment=True,
            filename=export.archive.name.rsplit("/", 1)[-1],
            content_type="application/zip",
        )


class AccountDeleteSerializer(serializers.Serializer):
    confirm_email = serializers.CharField(help_text="The account's email address, to confirm.")


class PublishedPostSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class AccountViewSet(OrgScopedGenericViewSet):
    """Deleting the caller's own account (in every organization; see docs/privacy.md)."""

    model = DataExport  # unused: the action acts on the caller only
    serializer_class = AccountDeleteSerializer

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={
            200: OpenApiResponse(
                PublishedPostSerializer(many=True),
                description="Deleted; the posts the person published, to remove them on the networks.",
            )
        },
    )
    @action(detail=False, methods=["post"], url_path="delete")
    def delete_account(self, request, org_slug=None):
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posts = services.account_delete(
            user=request.user, confirm_email=serializer.validated_data["confirm_email"]
        )
        return Response(posts)
