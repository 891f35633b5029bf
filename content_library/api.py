"""The content library API under /api/v1/orgs/<org_slug>/: items and captions with their
workflow, topics, settings, feeds, suggestions, guidelines and training."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import decorators, mixins, parsers, response, serializers, status, views

from advocacy.ids import as_id
from advocacy.tenancy.api import (
    OrgRelatedField,
    OrgScopedGenericViewSet,
    OrgScopedMixin,
    OrgScopedViewSet,
)
from advocacy.tenancy.models import Role, Team
from advocacy.tenancy.permissions import ADMINS, CURATORS, EVERYONE
from advocacy.tenancy.tasks import enqueue_on_commit

from . import selectors, services
from .models import (
    ContentEvent,
    ContentItem,
    Course,
    FeedSource,
    GuidelinesVersion,
    Lesson,
    LibrarySettings,
    Network,
    QuizQuestion,
    Suggestion,
    Topic,
)
from .tasks import feed_source_poll_task

# --- serializers -------------------------------------------------------------------------


class CaptionSerializer(serializers.Serializer):
    network = serializers.ChoiceField(
        choices=[("", "any"), *Network.choices], allow_blank=True, default=""
    )
    text = serializers.CharField(max_length=63206)


class AudienceSerializer(serializers.Serializer):
    teams = serializers.ListField(child=OrgRelatedField(Team), required=False, default=list)
    locations = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, default=list
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, default=list
    )


def _audience_data(rules) -> dict:
    rules = list(rules)
    return {
        "teams": [r.team_id for r in rules if r.team_id],
        "locations": [r.location for r in rules if r.location],
        "roles": [r.role for r in rules if r.role],
    }


class ContentItemSerializer(serializers.ModelSerializer):
    topics = OrgRelatedField(Topic, many=True, required=False)
    captions = CaptionSerializer(many=True, required=False)
    audience = AudienceSerializer(required=False)
    image = serializers.ImageField(required=False, allow_null=True)
    media_file = serializers.FileField(required=False, allow_null=True)

    class Meta:
        model = ContentItem
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "url",
            "image",
            "thumbnail",
            "media_file",
            "language",
            "status",
            "is_featured",
            "publish_at",
            "expires_at",
            "internal_notes",
            "preview_title",
            "preview_description",
            "preview_image_url",
            "preview_site_name",
            "preview_status",
            "preview_error",
            "topics",
            "captions",
            "audience",
            "audience_everyone",
            "origin",
            "rejection_note",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "thumbnail",
            "preview_status",
            "preview_error",
            "audience_everyone",
            "origin",
            "rejection_note",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"title": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["captions"] = [{"network": c.network, "text": c.text} for c in instance.captions.all()]
        data["audience"] = _audience_data(instance.audience_rules.all())
        return data

    def validate(self, attrs):
        if self.instance is None and not (attrs.get("title") or attrs.get("url")):
            raise serializers.ValidationError({"title": _("Give the item a title or a link.")})
        return attrs


class ContentEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.user.email", default=None, read_only=True)

    class Meta:
        model = ContentEvent
        fields = [
            "id",
            "action",
            "actor",
            "from_status",
            "to_status",
            "note",
            "changes",
            "created_at",
        ]


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField()


class BulkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "archive"])
    # Ids are BigAutoField values: anything outside 1..2**63-1 names no item (and would
    # overflow the database driver), so it is a field error, not a server error.
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=500
    )


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "slug"]
        read_only_fields = ["slug"]

    def validate_name(self, value):
        """Topic names are unique in an organization whatever their case."""
        name = " ".join(value.split())
        taken = selectors.topic_list(organization=self.context["organization"]).filter(
            name__iexact=name
        )
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(
                _("A topic called “%(name)s” already exists.") % {"name": name}
            )
        return name


class LibrarySettingsSerializer(serializers.ModelSerializer):
    disclosure_networks = serializers.ListField(
        child=serializers.ChoiceField(choices=Network.choices), required=False
    )

    class Meta:
        model = LibrarySettings
        fields = [
            "disclosure",
            "disclosure_required",
            "disclosure_networks",
            "banned_words",
            "compliance_review_required",
        ]


class FeedSourceSerializer(serializers.ModelSerializer):
    topic = OrgRelatedField(Topic, allow_null=True, required=False)

    class Meta:
        model = FeedSource
        fields = [
            "id",
            "name",
            "url",
            "is_active",
            "language",
            "topic",
            "last_polled_at",
            "last_success_at",
            "last_error",
            "imported_count",
        ]
        read_only_fields = ["last_polled_at", "last_success_at", "last_error", "imported_count"]


class SuggestionSerializer(serializers.ModelSerializer):
    suggested_by = serializers.CharField(source="suggested_by.user.email", read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "url", "comment", "status", "suggested_by", "content", "created_at"]
        read_only_fields = ["status", "content", "created_at"]


class GuidelinesSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidelinesVersion
        fields = ["id", "number", "title", "body", "change_summary", "published_at"]
        read_only_fields = ["number", "published_at"]


class QuizQuestionSerializer(serializers.ModelSerializer):
    lesson = OrgRelatedField(Lesson)

    class Meta:
        model = QuizQuestion
        fields = ["id", "lesson", "prompt", "choices", "correct_index", "position"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        membership = self.context.get("membership")
        if membership is None or not membership.is_admin:
            data.pop("correct_index")  # the answer is not handed to the learner
        return data


class LessonSerializer(serializers.ModelSerializer):
    course = OrgRelatedField(Course)
    questions = QuizQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Lesson
        fields = ["id", "course", "title", "body", "video_url", "position", "questions"]


class CourseSerializer(serializers.ModelSerializer):
    audience = AudienceSerializer(required=False)

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "is_published",
            "audience",
            "audience_everyone",
            "created_at",
        ]
        read_only_fields = ["audience_everyone", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["audience"] = _audience_data(instance.audience_rules.all())
        return data


class LessonCompleteSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False, default=dict
    )


# --- viewsets ------------------------------------------------------------------------------


class ContentItemViewSet(OrgScopedViewSet):
    """The curators' library. Filters: q, status, kind, language, topic, audience."""

    model = ContentItem
    serializer_class = ContentItemSerializer
    roles = {"*": CURATORS}
    # An item's image or file arrives as multipart; everything else in the API is JSON.
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]

    def scope_queryset(self, queryset):
        if self.action == "list":
            params = self.request.query_params
            topic = params.get("topic", "")
            queryset = selectors.content_list(
                organization=self.organization,
                search=params.get("q", ""),
                status=params.get("status", ""),
                kind=params.get("kind", ""),
                language=params.get("language", ""),
                topic=as_id(topic),
                audience=params.get("audience", ""),
            )
        return queryset.prefetch_related("captions", "audience_rules")

    def _write_kwargs(self, serializer) -> dict:
        data = dict(serializer.validated_data)
        captions = data.pop("captions", None)
        topics = data.pop("topics", None)
        audience = data.pop("audience", None)
        if data.get("image") is None:
            data.pop("image", None)
        if data.get("media_file") is None:
            data.pop("media_file", None)
        return {"data": data, "topics": topics, "audience": audience, "captions": captions}

    def perform_create(self, serializer):
        parts = self._write_kwargs(serializer)
        captions = parts.pop("captions")
        serializer.instance = services.content_create(
            organization=self.organization,
            actor=self.membership,
            data=parts["data"],
            topics=parts["topics"] or [],
            audience=parts["audience"],
            captions=_caption_pairs(captions),
        )

    def perform_update(self, serializer):
        parts = self._write_kwargs(serializer)
        captions = parts.pop("captions")
        item = services.content_update(
            organization=self.organization,
            actor=self.membership,
            content=serializer.instance,
            captions=_caption_pairs(captions),
            **parts,
        )
        serializer.instance = self.get_queryset().get(pk=item.pk)

    def perform_destroy(self, instance):
        services.content_archive(
            organization=self.organization, actor=self.membership, content=instance
        )

    def _transition(self, name: str, **extra):
        item = self.get_object()
        getattr(services, f"content_{name}")(
            organization=self.organization, actor=self.membership, content=item, **extra
        )
        return response.Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def submit(self, request, pk=None, org_slug=None):
        return self._transition("submit")

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def approve(self, request, pk=None, org_slug=None):
        return self._transition("approve")

    @extend_schema(request=RejectSerializer)
    @decorators.action(detail=True, methods=["post"])
    def reject(self, request, pk=None, org_slug=None):
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._transition("reject", note=body.validated_data["note"])

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def archive(self, request, pk=None, org_slug=None):
        return self._transition("archive")

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def restore(self, request, pk=None, org_slug=None):
        return self._transition("restore")

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"], url_path="fetch-preview")
    def fetch_preview(self, request, pk=None, org_slug=None):
        item = self.get_object()
        if item.url:
            services.content_preview_request(organization=self.organization, content=item)
        return response.Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=ContentEventSerializer(many=True))
    @decorators.action(detail=True, methods=["get"])
    def history(self, request, pk=None, org_slug=None):
        item = self.get_object()
        events = selectors.content_events(organization=self.organization, content=item)
        return response.Response(ContentEventSerializer(events, many=True).data)

    @extend_schema(
        request=BulkSerializer,
        responses=inline_serializer(
            "ContentBulkOutcome",
            {
                "done": serializers.ListField(child=serializers.IntegerField()),
                "failed": serializers.DictField(
                    child=serializers.CharField(), help_text="item id → why it was not done"
                ),
            },
        ),
    )
    @decorators.action(detail=False, methods=["post"])
    def bulk(self, request, org_slug=None):
        body = BulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done, failed = services.content_bulk_action(
            organization=self.organization,
            actor=self.membership,
            content_ids=body.validated_data["items"],
            action=body.validated_data["action"],
        )
        return response.Response(
            {"done": [item.pk for item in done], "failed": {str(k): v for k, v in failed.items()}}
        )


class TopicViewSet(OrgScopedViewSet):
    model = Topic
    serializer_class = TopicSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "*": CURATORS}

    def perform_create(self, serializer):
        serializer.instance = services.topic_get_or_create(
            organization=self.organization, name=serializer.validated_data["name"]
        )

    def perform_update(self, serializer):
        serializer.save(organization=self.organization)


class LibrarySettingsView(OrgScopedMixin, views.APIView):
    roles = {"*": ADMINS}

    @extend_schema(responses=LibrarySettingsSerializer)
    def get(self, request, org_slug):
        return response.Response(
            LibrarySettingsSerializer(
                selectors.library_settings_get(organization=self.organization)
            ).data
        )

    @extend_schema(request=LibrarySettingsSerializer, responses=LibrarySettingsSerializer)
    def patch(self, request, org_slug):
        body = LibrarySettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        rules = services.library_settings_update(
            organization=self.organization, **body.validated_data
        )
        return response.Response(LibrarySettingsSerializer(rules).data)


class FeedSourceViewSet(OrgScopedViewSet):
    model = FeedSource
    serializer_class = FeedSourceSerializer
    roles = {"*": CURATORS}

    def perform_create(self, serializer):
        serializer.instance = services.feed_source_save(
            organization=self.organization, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.feed_source_save(
            organization=self.organization, source=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def poll(self, request, pk=None, org_slug=None):
        source = self.get_object()
        enqueue_on_commit(
            feed_source_poll_task, organization_id=self.organization.pk, source_id=source.pk
        )
        return response.Response(status=status.HTTP_202_ACCEPTED)


class SuggestionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    OrgScopedGenericViewSet,
):
    """Anyone suggests; curators see every suggestion, others their own."""

    model = Suggestion
    serializer_class = SuggestionSerializer
    roles = {"create": EVERYONE, "list": EVERYONE, "retrieve": EVERYONE, "*": CURATORS}

    def scope_queryset(self, queryset):
        if self.membership.role not in CURATORS:
            queryset = queryset.filter(suggested_by=self.membership)
        return queryset.select_related("suggested_by__user")

    def perform_create(self, serializer):
        serializer.instance = services.suggestion_create(
            organization=self.organization, membership=self.membership, **serializer.validated_data
        )

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None, org_slug=None):
        item = services.suggestion_accept(
            organization=self.organization, actor=self.membership, suggestion=self.get_object()
        )
        return response.Response({"content": item.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @decorators.action(detail=True, methods=["post"])
    def decline(self, request, pk=None, org_slug=None):
        suggestion = services.suggestion_decline(
            organization=self.organization, actor=self.membership, suggestion=self.get_object()
        )
        return response.Response(self.get_serializer(suggestion).data)


class GuidelinesViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    OrgScopedGenericViewSet,
):
    """Published versions; POST publishes a new one; `acknowledge` records the caller's reading."""

    model = GuidelinesVersion
    serializer_class = GuidelinesSerializer
    roles = {
        "list": EVERYONE,
        "retrieve": EVERYONE,
        "acknowledge": EVERYONE,
        "status": EVERYONE,
        "*": ADMINS,
    }

    def scope_queryset(self, queryset):
        return queryset.filter(published_at__isnull=False)

    def perform_create(self, serializer):
        serializer.instance = services.guidelines_publish(
            organization=self.organization, actor=self.membership, **serializer.validated_data
        )

    @extend_schema(request=None)
    @decorators.action(detail=False, methods=["post"])
    def acknowledge(self, request, org_slug=None):
        ack = services.guidelines_acknowledge(
            organization=self.organization, membership=self.membership
        )
        return response.Response(
            {"version": ack.version_id, "acknowledged_at": ack.acknowledged_at}
        )

    @extend_schema(
        responses=inline_serializer(
            "GuidelinesStatus", {"acknowledged": serializers.BooleanField()}
        )
    )
    @decorators.action(detail=False, methods=["get"])
    def status(self, request, org_slug=None):
        return response.Response(
            {
                "acknowledged": selectors.guidelines_acknowledged(
                    organization=self.organization, membership=self.membership
                )
            }
        )

    @decorators.action(detail=True, methods=["get"])
    def acknowledgements(self, request, pk=None, org_slug=None):
        rows = selectors.guidelines_acknowledgement_status(
            organization=self.organization, version=self.get_object()
        )
        return response.Response(
            [
                {
                    "membership": r["membership"].pk,
                    "email": r["membership"].user.email,
                    "acknowledged_at": r["acknowledged_at"],
                }
                for r in rows
            ]
        )


class CourseViewSet(OrgScopedViewSet):
    """Admins manage every course; others see the published courses assigned to them."""

    model = Course
    serializer_class = CourseSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "*": ADMINS}

    def scope_queryset(self, queryset):
        if not self.membership.is_admin:
            assigned = [
                row["course"].pk
                for row in selectors.course_list_for_member(
                    organization=self.organization, membership=self.membership
                )
            ]
            queryset = queryset.filter(pk__in=assigned)
        return queryset.prefetch_related("audience_rules")

    def _save(self, serializer, course=None):
        data = dict(serializer.validated_data)
        audience = data.pop("audience", None)
        serializer.instance = services.course_save(
            organization=self.organization, course=course, audience=audience, **data
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @decorators.action(detail=True, methods=["get"])
    def completion(self, request, pk=None, org_slug=None):
        return response.Response(
            selectors.course_completion_by_team(
                organization=self.organization, course=self.get_object()
            )
        )


class LessonViewSet(OrgScopedViewSet):
    model = Lesson
    serializer_class = LessonSerializer
    roles = {"list": EVERYONE, "retrieve": EVERYONE, "complete": EVERYONE, "*": ADMINS}

    def scope_queryset(self, queryset):
        if not self.membership.is_admin:
            assigned = [
                row["course"].pk
                for row in selectors.course_list_for_member(
                    organization=self.organization, membership=self.membership
                )
            ]
            queryset = queryset.filter(course_id__in=assigned)
        return queryset.prefetch_related("questions")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.lesson_save(
            organization=self.organization, course=data.pop("course"), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        course = data.pop("course", serializer.instance.course)
        serializer.instance = services.lesson_save(
            organization=self.organization, course=course, lesson=serializer.instance, **data
        )

    @extend_schema(request=LessonCompleteSerializer)
    @decorators.action(detail=True, methods=["post"])
    def complete(self, request, pk=None, org_slug=None):
        lesson = self.get_object()
        body = LessonCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = {int(k): v for k, v in body.validated_data["answers"].items() if str(k).isdigit()}
        progress = services.lesson_complete(
            organization=self.organization,
            membership=self.membership,
            lesson=lesson,
            answers=answers,
        )
        return response.Response(
            {
                "lesson": lesson.pk,
                "quiz_score": progress.quiz_score,
                "completed_at": progress.completed_at,
            }
        )


class QuizQuestionViewSet(OrgScopedViewSet):
    model = QuizQuestion
    serializer_class = QuizQuestionSerializer
    roles = {"*": ADMINS}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.quiz_question_add(
            organization=self.organization,
            lesson=data["lesson"],
            prompt=data["prompt"],
            choices=data.get("choices") or [],
            correct_index=data["correct_index"],
        )

    def perform_update(self, serializer):
        serializer.save(organization=self.organization)


def _caption_pairs(captions: list[dict] | None) -> list[tuple[str, str]] | None:
    """(network, text) pairs for the service; None (not sent) leaves the captions alone."""
    if captions is None:
        return None
    return [(c["network"], c["text"]) for c in captions]
