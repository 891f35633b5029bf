from rest_framework import serializers

from .api import OrgRelatedField
from .models import ImportJob, Invitation, Membership, Organization, Team


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["name", "slug", "timezone", "default_language", "currency"]
        read_only_fields = ["slug"]


class TeamSerializer(serializers.ModelSerializer):
    parent = OrgRelatedField(Team, allow_null=True, required=False)

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "parent"]


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    team = OrgRelatedField(Team, allow_null=True, required=False)
    manager = OrgRelatedField(Membership, allow_null=True, required=False)

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "name",
            "role",
            "team",
            "job_title",
            "location",
            "manager",
            "hire_date",
            "leave_date",
            "is_active",
        ]
        read_only_fields = ["id", "email", "name"]


class InvitationSerializer(serializers.ModelSerializer):
    team = OrgRelatedField(Team, allow_null=True, required=False)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "team",
            "state",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = ["id", "state", "created_at", "expires_at", "accepted_at", "revoked_at"]


class ImportJobSerializer(serializers.ModelSerializer):
    errors = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "filename",
            "status",
            "percent",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "teams_created",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_errors(self, job) -> list[dict]:
        from .directory_import import error_message

        return [
            {"line": entry.get("line"), "message": error_message(entry)} for entry in job.errors
        ]


class ImportJobCreateSerializer(serializers.Serializer):
    file = serializers.FileField()
    send_welcome = serializers.BooleanField(default=True)
