from rest_framework import serializers

from .api import OrgRelatedField
from .models import Membership, Organization, Team


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
        fields = ["id", "email", "name", "role", "team", "job_title", "location", "manager", "hire_date", "leave_date", "is_active"]
        read_only_fields = ["id", "email", "name"]
