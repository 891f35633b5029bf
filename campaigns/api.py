"""The campaigns and sharing API: campaigns, the employee feed, shares."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from advocacy.tenancy.api import OrgRelatedField, OrgScopedGenericViewSet, OrgScopedViewSet
from advocacy.tenancy.models import Role, Team
from advocacy.tenancy.permissions import ADMINS, CURATORS, EVERYONE
from content_library.models import ContentItem
from social.models import Connection

from . import services
from .intents import BY_HAND_CHANNELS, INTENT_CHANNELS, intent_url, post_text
from .links import short_base_url
from .models import Campaign, Share
from .selectors import campaign_results, campaigns_for_member, employee_feed, shareable_content_get


class CampaignSerializer(serializers.ModelSerializer):
    items = OrgRelatedField(ContentItem, many=True, required=False)
    audience_teams = OrgRelatedField(Team, many=True, required=False)
    audience_locations = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False
    )
    audience_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "goal_clicks",
            "starts_at",
            "ends_at",
            "status",
            "points_per_share",
            "points_per_click",
            "items",
            "audience_teams",
            "audience_locations",
            "audience_roles",
            "launched_at",
            "announced_at",
            "results",
        ]
        read_only_fields = ["status", "launched_at", "announced_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}}

    def to_representation(self, campaign):
        data = super().to_representation(campaign)
        rules = list(campaign.audience_rules.all())
        data["items"] = [row.content_id for row in campaign.items.all()]
        data["audience_teams"] = [r.team_id for r in rules if r.team_id]
        data["audience_locations"] = [r.location for r in rules if r.location]
        data["audience_roles"] = [r.role for r in rules if r.role]
        return data

    def get_results(self, campaign) -> dict:
        return campaign_results(organization=self.context["organization"], campaign=campaign)

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        renames = {
            "audience_teams": "teams",
            "audience_locations": "locations",
            "audience_roles": "roles",
        }
        return {renames.get(key, key): value for key, value in data.items()}


class CampaignViewSet(OrgScopedViewSet):
    model = Campaign
    serializer_class = CampaignSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "*": CURATORS}

    def scope_queryset(self, queryset):
        queryset = queryset.prefetch_related("items", "audience_rules")
        if self.membership.role in CURATORS:
            return queryset
        visible = campaigns_for_member(
            organization=self.organization,
            membership=self.membership,
            statuses=[Campaign.Status.ACTIVE, Campaign.Status.ENDED],
        )
        return queryset.filter(pk__in=[c.pk for c in visible])

    def perform_create(self, serializer):
        serializer.instance = services.campaign_create(
            organization=self.organization,
            created_by=self.membership,
            **serializer.service_kwargs(),
        )

    def perform_update(self, serializer):
        serializer.instance = services.campaign_update(
            organization=self.organization,
            campaign=serializer.instance,
            **serializer.service_kwargs(),
        )

    def perform_destroy(self, instance):
        services.campaign_delete(organization=self.organization, campaign=instance)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None, org_slug=None):
        campaign = services.campaign_launch(
            organization=self.organization, campaign=self.get_object()
        )
        return Response(self.get_serializer(campaign).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None, org_slug=None):
        campaign = services.campaign_end(organization=self.organization, campaign=self.get_object())
        return Response(self.get_serializer(campaign).data)


class FeedCardSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="content.pk")
    title = serializers.CharField(source="content.display_title")
    url = serializers.CharField(source="content.url")
    image = serializers.CharField(source="content.display_image")
    is_featured = serializers.BooleanField(source="content.is_featured")
    suggested_caption = serializers.CharField()
    captions = serializers.SerializerMethodField()
    campaigns = serializers.SerializerMethodField()
    shared_channels = serializers.ListField(child=serializers.CharField())

    def get_captions(self, card) -> list[dict]:
        return [{"network": c.network, "text": c.text} for c in card.content.captions.all()]

    def get_campaigns(self, card) -> list[dict]:
        return [{"id": c.pk, "name": c.name, "slug": c.slug} for c in card.campaigns]


@extend_schema_serializer(many=False)  # one page object, though it answers `list`
class FeedPageSerializer(serializers.Serializer):
    results = FeedCardSerializer(many=True)
    next_page = serializers.IntegerField(allow_null=True, help_text="null on the last page")


class FeedViewSet(OrgScopedGenericViewSet):
    """What the caller may share, featured first, a page at a time."""

    model = ContentItem
    serializer_class = FeedCardSerializer
    roles = {"*": EVERYONE}
    pagination_class = None  # pages by `page` / `next_page` itself (the feed's one query plan)

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=FeedPageSerializer)
    def list(self, request, org_slug=None):
        try:
            page_number = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page_number = 1
        page = employee_feed(
            organization=self.organization, membership=self.membership, page=page_number
        )
        return Response(
            {
                "results": FeedCardSerializer(page.cards, many=True).data,
                "next_page": page.next_page,
            }
        )


class ShareSerializer(serializers.ModelSerializer):
    short_url = serializers.SerializerMethodField()

    class Meta:
        model = Share
        fields = [
            "id",
            "content",
            "campaign",
            "channel",
            "connection",
            "text",
            "status",
            "scheduled_at",
            "published_at",
            "error",
            "clicks",
            "impressions",
            "reactions",
            "comments",
            "reposts",
            "short_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_short_url(self, share) -> str | None:
        links = list(share.links.all())
        return (
            f"{short_base_url(self.context['organization'])}/r/{links[0].code}" if links else None
        )


class ComposeSerializer(serializers.Serializer):
    content = OrgRelatedField(ContentItem)
    text = serializers.CharField(max_length=5000)
    connections = OrgRelatedField(Connection, many=True)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    batch = serializers.UUIDField(required=False, allow_null=True)


class ByHandSerializer(serializers.Serializer):
    content = OrgRelatedField(ContentItem)
    channel = serializers.ChoiceField(choices=BY_HAND_CHANNELS)
    text = serializers.CharField(max_length=5000)


class ShareViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedGenericViewSet):
    """The caller's shares (HR admins see everyone's). Creating one publishes it through
    connections, now or at `scheduled_at`; `by_hand` records a share-intent, copy or share-sheet share."""

    model = Share
    serializer_class = ShareSerializer
    roles = {"*": EVERYONE}

    def scope_queryset(self, queryset):
        queryset = queryset.prefetch_related("links")
        if self.membership.role in ADMINS and self.request.query_params.get("everyone") == "1":
            return queryset
        return queryset.filter(membership=self.membership)

    def _own(self) -> Share:
        share = self.get_object()
        if share.membership_id != self.membership.pk:
            raise NotFound
        return share

    @extend_schema(request=ComposeSerializer, responses=ShareSerializer(many=True))
    def create(self, request, org_slug=None):
        payload = ComposeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        shares = services.share_compose(
            organization=self.organization,
            membership=self.membership,
            content=data["content"],
            text=data["text"],
            connections=data["connections"],
            scheduled_at=data.get("scheduled_at"),
            batch=data.get("batch"),
        )
        fresh = self.get_queryset().filter(pk__in=[s.pk for s in shares])
        return Response(self.get_serializer(fresh, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShareSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None, org_slug=None):
        share = services.share_retry(
            organization=self.organization, share=self._own(), actor=self.membership
        )
        return Response(self.get_serializer(share).data)

    @extend_schema(request=None, responses=ShareSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, org_slug=None):
        share = services.share_cancel(
            organization=self.organization, share=self._own(), actor=self.membership
        )
        return Response(self.get_serializer(share).data)

    @extend_schema(request=ByHandSerializer, responses=ShareSerializer)
    @action(detail=False, methods=["post"], url_path="by-hand")
    def by_hand(self, request, org_slug=None):
        payload = ByHandSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        content = shareable_content_get(
            organization=self.organization, membership=self.membership, pk=data["content"].pk
        )
        if content is None:
            raise serializers.ValidationError(
                {"content": _("This post has expired or is no longer available to share.")}
            )
        share, url = services.share_record_by_hand(
            organization=self.organization,
            membership=self.membership,
            content=content,
            channel=data["channel"],
            text=data["text"],
        )
        body = self.get_serializer(share).data
        body["full_text"] = post_text(share.text, url)
        if data["channel"] in INTENT_CHANNELS:
            body["intent_url"] = intent_url(
                data["channel"], text=share.text, url=url, title=content.display_title
            )
        return Response(body, status=status.HTTP_201_CREATED)
