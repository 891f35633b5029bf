from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, parsers, response, serializers, status, views

from . import directory_import
from .api import OrgScopedGenericViewSet, OrgScopedMixin, OrgScopedViewSet
from .invitations import invitation_create, invitation_resend, invitation_revoke
from .models import ImportJob, Invitation, Membership, Team
from .permissions import ADMINS, EVERYONE, MANAGERS
from .selectors import membership_tree_ids
from .serializers import (
    ImportJobCreateSerializer,
    ImportJobSerializer,
    InvitationSerializer,
    MembershipSerializer,
    OrganizationSerializer,
    TeamSerializer,
)
from .services import MEMBERSHIP_FIELDS, membership_update
from .tasks import directory_import_task, enqueue_on_commit
from .teams import team_create, team_delete, team_update


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
        serializer.instance = team_create(
            organization=self.organization, actor=self.membership, **serializer.validated_data
        )

    def perform_update(self, serializer):
        team_update(
            organization=self.organization,
            actor=self.membership,
            team=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        team_delete(organization=self.organization, actor=self.membership, team=instance)


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrgScopedGenericViewSet,
):
    """The directory. Managers read their own team tree; admins read and change everyone."""

    model = Membership
    serializer_class = MembershipSerializer
    roles = {"list": MANAGERS, "retrieve": MANAGERS, "*": ADMINS}

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("user")
        if self.membership.role not in ADMINS:
            queryset = queryset.filter(
                pk__in=membership_tree_ids(organization=self.organization, manager=self.membership)
            )
        return queryset.order_by("user__email")

    def perform_update(self, serializer):
        fields = {
            name: value
            for name, value in serializer.validated_data.items()
            if name in MEMBERSHIP_FIELDS
        }
        membership = membership_update(
            organization=self.organization,
            membership=serializer.instance,
            actor=self.membership,
            **fields,
        )
        serializer.instance = membership


class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    OrgScopedGenericViewSet,
):
    """Invitations by email. DELETE revokes (the row stays, for the record)."""

    model = Invitation
    serializer_class = InvitationSerializer
    roles = {"*": ADMINS}

    def scope_queryset(self, queryset):
        return queryset.select_related("team")

    def perform_create(self, serializer):
        invitation, _raw = invitation_create(
            organization=self.organization,
            email=serializer.validated_data["email"],
            role=serializer.validated_data.get("role", "employee"),
            team=serializer.validated_data.get("team"),
            invited_by=self.request.user,
            actor_role=self.membership.role,
        )
        serializer.instance = invitation

    def perform_destroy(self, instance):
        invitation_revoke(organization=self.organization, invitation=instance)

    @extend_schema(request=None, responses=InvitationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def resend(self, request, org_slug, pk=None):
        invitation = self.get_object()
        invitation_resend(organization=self.organization, invitation=invitation)
        invitation.refresh_from_db()
        return response.Response(self.get_serializer(invitation).data)


class ImportJobViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrgScopedGenericViewSet,
):
    """Directory CSV imports: upload a file, then poll the job."""

    model = ImportJob
    serializer_class = ImportJobSerializer
    roles = {"*": ADMINS}
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def scope_queryset(self, queryset):
        return queryset.defer("content")

    @extend_schema(request=ImportJobCreateSerializer, responses={201: ImportJobSerializer})
    def create(self, request, org_slug):
        upload = ImportJobCreateSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if file.size > directory_import.MAX_FILE_BYTES:
            raise serializers.ValidationError(
                {
                    "file": [
                        directory_import.error_message(
                            {
                                "code": "too_big",
                                "params": {
                                    "limit": directory_import.MAX_FILE_BYTES // (1024 * 1024)
                                },
                            }
                        )
                    ]
                }
            )
        with transaction.atomic():
            job = directory_import.import_job_create(
                organization=self.organization,
                created_by=request.user,
                filename=file.name,
                data=file.read(),
                send_welcome=upload.validated_data["send_welcome"],
            )
            if not job.is_finished:
                enqueue_on_commit(
                    directory_import_task, organization_id=self.organization.pk, job_id=job.pk
                )
        job.refresh_from_db()
        return response.Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)
