"""Recognition API under /api/v1/orgs/<org_slug>/recognition/…"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.ids import as_id
from advocacy.tenancy.api import OrgRelatedField, OrgScopedGenericViewSet, OrgScopedMixin
from advocacy.tenancy.models import Membership
from advocacy.tenancy.permissions import ADMINS, EVERYONE

from . import selectors, services
from .models import (
    Badge,
    CompanyValue,
    GamingFlag,
    PointEntry,
    Reaction,
    Redemption,
    Reward,
    ShoutOut,
)
from .names import public_name
from .periods import PERIODS, local_today, period_dates


def _person(membership) -> dict | None:
    if membership is None:
        return None
    return {"id": membership.pk, "name": public_name(membership)}


class PointEntrySerializer(serializers.ModelSerializer):
    advocate = serializers.SerializerMethodField()

    class Meta:
        model = PointEntry
        fields = [
            "id",
            "advocate",
            "points",
            "cause",
            "reference_id",
            "quantity",
            "network",
            "reason",
            "status",
            "created_at",
        ]

    def get_advocate(self, entry) -> dict | None:
        return _person(entry.membership)


class AdjustmentSerializer(serializers.Serializer):
    membership = OrgRelatedField(Membership)
    # An adjustment is a correction, not a new currency: bounded, and within the column.
    points = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)
    reason = serializers.CharField(max_length=255)


class ShoutOutSerializer(serializers.ModelSerializer):
    recipient = OrgRelatedField(Membership)
    value = OrgRelatedField(CompanyValue, required=False, allow_null=True)
    sender = serializers.SerializerMethodField()
    reactions = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    class Meta:
        model = ShoutOut
        fields = [
            "id",
            "kind",
            "sender",
            "recipient",
            "value",
            "message",
            "share_id",
            "created_at",
            "reactions",
            "comments",
        ]
        read_only_fields = ["kind", "share_id", "created_at"]

    def get_sender(self, shoutout) -> dict | None:
        return _person(shoutout.sender)

    def get_reactions(self, shoutout) -> dict[str, int]:
        counts: dict[str, int] = {}
        for reaction in shoutout.reactions.all():
            counts[reaction.emoji] = counts.get(reaction.emoji, 0) + 1
        return counts

    def get_comments(self, shoutout) -> list[dict]:
        return [
            {"author": _person(c.author), "text": c.text, "created_at": c.created_at}
            for c in shoutout.comments.all()
        ]


class ThanksSerializer(serializers.Serializer):
    recipient = OrgRelatedField(Membership)
    message = serializers.CharField(max_length=1000)
    share_id = serializers.IntegerField(required=False, allow_null=True)
    request_repost = serializers.BooleanField(default=False)


class ReactionSerializer(serializers.Serializer):
    emoji = serializers.ChoiceField(choices=Reaction.Emoji.choices)


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "cost_points",
            "value",
            "stock",
            "is_available",
            "available_until",
        ]
        extra_kwargs = {"value": {"min_value": 0}, "cost_points": {"min_value": 1}}


class RedemptionSerializer(serializers.ModelSerializer):
    reward = serializers.CharField(source="reward.name", read_only=True)
    advocate = serializers.SerializerMethodField()

    class Meta:
        model = Redemption
        fields = [
            "id",
            "reward",
            "advocate",
            "points",
            "value",
            "status",
            "note",
            "requested_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_advocate(self, redemption) -> dict | None:
        return _person(redemption.membership)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class GamingFlagSerializer(serializers.ModelSerializer):
    advocate = serializers.SerializerMethodField()

    class Meta:
        model = GamingFlag
        fields = [
            "id",
            "kind",
            "advocate",
            "reference_id",
            "detail",
            "status",
            "created_at",
            "reviewed_at",
        ]
        read_only_fields = fields

    def get_advocate(self, flag) -> dict | None:
        return _person(flag.membership)


class BadgeSerializer(serializers.ModelSerializer):
    # Empty for the badges an organization makes (only built-in badges have a key).
    key = serializers.CharField(read_only=True)

    class Meta:
        model = Badge
        fields = ["id", "key", "name", "description", "icon", "metric", "threshold", "is_active"]
        read_only_fields = ["key", "is_active"]


class LedgerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    """The points ledger: your own entries, or everyone's for admins."""

    model = PointEntry
    serializer_class = PointEntrySerializer
    roles = {"adjust": ADMINS, "*": EVERYONE}

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("membership__user")
        if self.membership.role not in ADMINS:
            return queryset.filter(membership=self.membership)
        member = as_id(self.request.query_params.get("membership"))
        return queryset.filter(membership_id=member) if member else queryset

    @extend_schema(request=AdjustmentSerializer, responses=PointEntrySerializer)
    @action(detail=False, methods=["post"])
    def adjust(self, request, org_slug=None):
        data = AdjustmentSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        entry = services.adjustment_create(
            organization=self.organization,
            actor=self.membership,
            idempotency_key=request.headers.get("Idempotency-Key"),
            **data.validated_data,
        )
        return Response(PointEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=inline_serializer(
            "PointsBalance",
            {
                "points": serializers.IntegerField(),
                "held_points": serializers.IntegerField(),
                "badges": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    @action(detail=False, methods=["get"])
    def balance(self, request, org_slug=None):
        org, me = self.organization, self.membership
        return Response(
            {
                "points": selectors.balance_get(organization=org, membership=me),
                "held_points": selectors.held_points_get(organization=org, membership=me),
                "badges": [
                    award.badge.name
                    for award in selectors.member_badges(organization=org, membership=me)
                ],
            }
        )


class ShoutOutViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrgScopedGenericViewSet,
):
    model = ShoutOut
    serializer_class = ShoutOutSerializer
    roles = {"*": EVERYONE}

    def scope_queryset(self, queryset):
        return selectors.feed_list(organization=self.organization).filter(
            pk__in=queryset.values("pk")
        )

    def perform_create(self, serializer):
        serializer.instance = services.shoutout_send(
            organization=self.organization, sender=self.membership, **serializer.validated_data
        )

    @extend_schema(request=ThanksSerializer, responses=ShoutOutSerializer)
    @action(detail=False, methods=["post"])
    def thank(self, request, org_slug=None):
        data = ThanksSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        shoutout = services.thanks_post(
            organization=self.organization, sender=self.membership, **data.validated_data
        )
        return Response(
            ShoutOutSerializer(shoutout, context=self.get_serializer_context()).data, status=201
        )

    @extend_schema(request=ReactionSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def react(self, request, pk=None, org_slug=None):
        shoutout = self.get_object()
        data = ReactionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        present = services.reaction_toggle(
            organization=self.organization,
            shoutout=shoutout,
            membership=self.membership,
            **data.validated_data,
        )
        return Response({"emoji": data.validated_data["emoji"], "reacted": present})

    @extend_schema(request=CommentSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None, org_slug=None):
        shoutout = self.get_object()
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_add(
            organization=self.organization,
            shoutout=shoutout,
            author=self.membership,
            **data.validated_data,
        )
        return Response({"id": comment.pk, "text": comment.text}, status=201)


class RewardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrgScopedGenericViewSet,
):
    model = Reward
    serializer_class = RewardSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "redeem": EVERYONE, "*": ADMINS}

    def scope_queryset(self, queryset):
        return queryset if self.membership.role in ADMINS else queryset.filter(is_available=True)

    def perform_create(self, serializer):
        serializer.instance = services.reward_save(
            organization=self.organization, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.reward_save(
            organization=self.organization, reward=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def redeem(self, request, pk=None, org_slug=None):
        redemption = services.reward_redeem(
            organization=self.organization, membership=self.membership, reward=self.get_object()
        )
        return Response(RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)


class RedemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    model = Redemption
    serializer_class = RedemptionSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "*": ADMINS}

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("reward", "membership__user")
        if self.membership.role not in ADMINS:
            return queryset.filter(membership=self.membership)
        wanted = self.request.query_params.get("status")
        return queryset.filter(status=wanted) if wanted in Redemption.Status.values else queryset

    def _decide(self, request, decide):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption = decide(
            organization=self.organization,
            redemption=self.get_object(),
            actor=self.membership,
            note=data.validated_data["note"],
        )
        return Response(RedemptionSerializer(redemption).data)

    @extend_schema(request=DecisionSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, org_slug=None):
        return self._decide(request, services.redemption_approve)

    @extend_schema(request=DecisionSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, org_slug=None):
        return self._decide(request, services.redemption_reject)

    @extend_schema(request=DecisionSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None, org_slug=None):
        return self._decide(request, services.redemption_fulfil)


class GamingFlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    model = GamingFlag
    serializer_class = GamingFlagSerializer
    roles = {"*": ADMINS}

    def scope_queryset(self, queryset):
        return queryset.select_related("membership__user")

    @extend_schema(request=None, responses=GamingFlagSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None, org_slug=None):
        flag = services.flag_review(
            organization=self.organization,
            flag=self.get_object(),
            confirm=True,
            reviewer=self.membership,
        )
        return Response(GamingFlagSerializer(flag).data)

    @extend_schema(request=None, responses=GamingFlagSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None, org_slug=None):
        flag = services.flag_review(
            organization=self.organization,
            flag=self.get_object(),
            confirm=False,
            reviewer=self.membership,
        )
        return Response(GamingFlagSerializer(flag).data)


class BadgeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrgScopedGenericViewSet,
):
    model = Badge
    serializer_class = BadgeSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "*": ADMINS}

    def perform_create(self, serializer):
        serializer.instance = services.badge_create(
            organization=self.organization, **serializer.validated_data
        )


class LeaderboardView(OrgScopedMixin, APIView):
    """GET ?period=week|month|quarter|all&segment=people|team|location|role&board=everyone|executives
    &per_active_advocate=1&my_tree=1 (managers)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, org_slug=None):
        params = request.query_params
        board = selectors.leaderboard(
            organization=self.organization,
            viewer=self.membership,
            period=params.get("period") if params.get("period") in PERIODS else "month",
            segment=params.get("segment")
            if params.get("segment") in selectors.SEGMENTS
            else "people",
            board="executives" if params.get("board") == "executives" else "everyone",
            per_active_advocate=params.get("per_active_advocate") in ("1", "true"),
            my_tree=params.get("my_tree") in ("1", "true") and self.membership.role != "employee",
        )
        return Response(
            {
                "period": board.period,
                "segment": board.segment,
                "board": board.board,
                "per_active_advocate": board.per_active_advocate,
                "rows": [
                    {
                        "rank": r.rank,
                        "label": r.label,
                        "points": r.points,
                        "active_advocates": r.active_advocates,
                        "members": r.members,
                        "points_per_active_advocate": r.per_active_advocate,
                        "membership": r.membership_id,
                    }
                    for r in board.rows
                ],
            }
        )


class LiabilityView(OrgScopedMixin, APIView):
    roles = {"*": ADMINS}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, org_slug=None):
        liability = selectors.points_liability(organization=self.organization)
        start, end = period_dates("month", local_today(self.organization))
        return Response(
            {
                "points": liability.points,
                "value": str(liability.value),
                "currency": liability.currency,
                "held_points": liability.held_points,
                "pending_points": liability.pending_points,
                "rewards_cost_this_month": str(
                    selectors.rewards_cost(organization=self.organization, start=start, end=end)
                ),
            }
        )


class SummaryView(OrgScopedMixin, APIView):
    """Your advocacy summary for ?start=YYYY-MM-DD&end=YYYY-MM-DD (end exclusive);
    admins may ask for anyone with ?membership=<id>."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, org_slug=None):
        try:
            start = datetime.date.fromisoformat(request.query_params.get("start", ""))
            end = datetime.date.fromisoformat(request.query_params.get("end", ""))
        except ValueError:
            start = end = None
        if start is None or end is None or end <= start:
            return Response(
                {
                    "detail": _(
                        "Give a start and an end date (YYYY-MM-DD), the end after the start."
                    )
                },
                status=400,
            )
        member_id = self.membership.pk
        wanted = as_id(request.query_params.get("membership"))
        if wanted and self.membership.role in ADMINS:
            member_id = wanted
        rows = selectors.advocacy_summaries(
            organization=self.organization, start=start, end=end, member_ids={member_id}
        )
        if not rows:
            return Response(status=404)
        row = rows[0]
        return Response(
            {"membership": _person(row.pop("membership")), "start": start, "end": end, **row}
        )
