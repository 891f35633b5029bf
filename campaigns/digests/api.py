"""Digests in the API: the organization's default (admins), the member's own choice,
and the log of what was sent (admins)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from advocacy.tenancy.api import OrgScopedGenericViewSet
from advocacy.tenancy.permissions import ADMINS, EVERYONE

from . import selectors, services
from .models import Digest, DigestPolicy, DigestPreference, Frequency


class PolicySerializer(serializers.Serializer):
    default_frequency = serializers.ChoiceField(choices=Frequency.choices)


class PreferenceSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(
        choices=[("", "organization default"), *Frequency.choices],
        allow_blank=True,
        help_text="Empty: follow the organization's default.",
    )
    effective_frequency = serializers.CharField(read_only=True)


class DigestSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="membership_id", read_only=True)
    email = serializers.EmailField(source="membership.user.email", read_only=True)

    class Meta:
        model = Digest
        fields = ["id", "member", "email", "frequency", "period", "items", "status", "sent_at"]


class DigestPolicyViewSet(OrgScopedGenericViewSet):
    """GET / PUT the default frequency for members who have not chosen."""

    model = DigestPolicy
    serializer_class = PolicySerializer
    roles = {"*": ADMINS}

    def retrieve(self, request, *args, **kwargs):
        policy = selectors.digest_policy_get(organization=self.organization)
        return Response({"default_frequency": policy.default_frequency})

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = services.digest_policy_set(
            organization=self.organization,
            actor=self.membership,
            default_frequency=serializer.validated_data["default_frequency"],
        )
        return Response({"default_frequency": policy.default_frequency})


class DigestPreferenceViewSet(OrgScopedGenericViewSet):
    """GET / PUT the signed-in member's own digest frequency."""

    model = DigestPreference
    serializer_class = PreferenceSerializer
    roles = {"*": EVERYONE}

    def _answer(self) -> Response:
        return Response(
            {
                "frequency": selectors.digest_preference_get(
                    organization=self.organization, membership=self.membership
                ),
                "effective_frequency": selectors.effective_frequency(
                    organization=self.organization, membership=self.membership
                ),
            }
        )

    def retrieve(self, request, *args, **kwargs):
        return self._answer()

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.digest_preference_set(
            organization=self.organization,
            membership=self.membership,
            frequency=serializer.validated_data["frequency"],
        )
        return self._answer()


@extend_schema(tags=["digests"])
class DigestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    """What was sent: when, to whom, which items (newest first)."""

    model = Digest
    serializer_class = DigestSerializer
    roles = {"*": ADMINS}

    def scope_queryset(self, queryset):
        return queryset.select_related("membership__user")
