"""API for surveys, rounds, anonymous answers, results and 1:1s."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from advocacy.formatting import rate_percent
from advocacy.tenancy.api import (
    OrgRelatedField,
    OrgScopedGenericViewSet,
    OrgScopedReadOnlyViewSet,
    OrgScopedViewSet,
)
from advocacy.tenancy.models import Membership, Team
from advocacy.tenancy.permissions import ADMINS, EVERYONE, MANAGERS

from . import bank, selectors, services
from .models import (
    MIN_THRESHOLD,
    Meeting,
    OneOnOne,
    PrivateNote,
    Question,
    Round,
    Survey,
    SurveySettings,
)

# --- settings ------------------------------------------------------------------------


class SurveySettingsSerializer(serializers.Serializer):
    anonymity_threshold = serializers.IntegerField(min_value=MIN_THRESHOLD, max_value=50)


class SurveySettingsViewSet(OrgScopedGenericViewSet):
    model = SurveySettings
    serializer_class = SurveySettingsSerializer
    roles = {"current": ADMINS}

    @action(detail=False, methods=["get", "patch"])
    def current(self, request, org_slug=None):
        if request.method == "PATCH":
            serializer = SurveySettingsSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.survey_settings_update(
                organization=self.organization, actor=self.membership, **serializer.validated_data
            )
        settings = selectors.survey_settings_get(organization=self.organization)
        return Response({"anonymity_threshold": settings.anonymity_threshold})


# --- surveys and questions --------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    survey = OrgRelatedField(Survey)
    text = serializers.SerializerMethodField()
    bank_key = serializers.ChoiceField(
        choices=list(bank.QUESTIONS), required=False, write_only=True
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "survey",
            "position",
            "kind",
            "measure",
            "category",
            "text",
            "text_en",
            "text_id",
            "choices",
            "bank_key",
        ]
        read_only_fields = ["position", "measure", "category"]
        extra_kwargs = {"kind": {"required": False}, "text_en": {"required": False}}

    def get_text(self, question) -> str:
        return question.text_for(self.context["organization"])


class SurveySerializer(serializers.ModelSerializer):
    audience = serializers.ListField(child=OrgRelatedField(Team), required=False, write_only=True)
    audience_team_ids = serializers.SerializerMethodField()
    template = serializers.ChoiceField(
        choices=list(bank.TEMPLATES), required=False, write_only=True
    )
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "recurrence",
            "window_days",
            "starts_on",
            "next_round_on",
            "is_active",
            "audience",
            "audience_team_ids",
            "template",
            "questions",
        ]
        read_only_fields = ["next_round_on"]

    def get_audience_team_ids(self, survey) -> list[int]:
        return [row.team_id for row in survey.audience.all()]


class SurveyViewSet(OrgScopedViewSet):
    model = Survey
    serializer_class = SurveySerializer
    roles = {"list": MANAGERS, "retrieve": MANAGERS, "enps_trend": MANAGERS, "*": ADMINS}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.prefetch_related("questions", "audience")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        template = data.pop("template", None)
        data.pop("is_active", None)  # a new survey starts active; PATCH switches it off
        serializer.instance = services.survey_create(
            organization=self.organization,
            audience_teams=data.pop("audience", []),
            template=template,
            created_by=self.membership,
            **data,
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        data.pop("template", None)
        audience = data.pop("audience", None)
        if audience is not None:
            services.survey_audience_update(
                organization=self.organization,
                survey=serializer.instance,
                teams=audience,
                actor=self.membership,
            )
        services.survey_schedule_validate(
            recurrence=data.get("recurrence", serializer.instance.recurrence),
            window_days=data.get("window_days", serializer.instance.window_days),
        )
        serializer.save(organization=self.organization)

    @action(detail=True, methods=["post"], url_path="open-round")
    def open_round(self, request, pk=None, org_slug=None):
        round = services.round_open(organization=self.organization, survey=self.get_object())
        return Response(
            RoundSerializer(round, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["get"], url_path="enps-trend")
    def enps_trend(self, request, pk=None, org_slug=None):
        survey = self.get_object()
        team_ids = None if self.membership.role in ADMINS else [self.membership.team_id or 0]
        trend = selectors.enps_trend(
            organization=self.organization,
            start=survey.starts_on,
            end=timezone.localdate(),
            team_ids=team_ids,
            survey=survey,
        )
        return Response(trend)


class QuestionViewSet(OrgScopedViewSet):
    model = Question
    serializer_class = QuestionSerializer
    roles = {"list": MANAGERS, "retrieve": MANAGERS, "*": ADMINS}
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        if data.get("bank_key"):
            serializer.instance = services.question_add_from_bank(
                organization=self.organization,
                survey=data["survey"],
                key=data["bank_key"],
                actor=self.membership,
            )
        else:
            serializer.instance = services.question_add(
                organization=self.organization,
                survey=data["survey"],
                kind=data.get("kind", ""),
                text_en=data.get("text_en", ""),
                text_id=data.get("text_id", ""),
                choices=data.get("choices") or [],
                actor=self.membership,
            )

    def perform_destroy(self, instance):
        services.question_remove(
            organization=self.organization, question=instance, actor=self.membership
        )


# --- rounds: answering and results ------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    survey_title = serializers.CharField(source="survey.title", read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "survey",
            "survey_title",
            "number",
            "opens_at",
            "closes_at",
            "invited_count",
            "is_open",
        ]

    def get_is_open(self, round) -> bool:
        return round.is_open()


class AnswerInSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = serializers.JSONField(allow_null=True)


class RespondSerializer(serializers.Serializer):
    answers = AnswerInSerializer(many=True)


def _percent(rate: float | None) -> float | None:
    """The API gives % favorable as a number in percent (12.5), as the page shows it."""
    return None if rate is None else rate_percent(rate)


def _headline(cell) -> float | int | None:
    value = cell.headline() if cell else None
    return _percent(value) if cell and cell.headline_is_rate else value


def _results_payload(results: selectors.RoundResults) -> dict:
    return {
        "round": results.round.pk,
        "threshold": results.threshold,
        "group": results.group,
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "visible": g.visible,
                "respondents": g.respondents,
                "hidden_because": g.hidden_because,
            }
            for g in results.groups
        ],
        "questions": [
            {
                "id": r.question.pk,
                "position": r.question.position,
                "text": r.text,
                "kind": r.kind,
                "hidden": r.hidden,
                "respondents": None if r.hidden else r.respondents,
                "mean": r.mean,
                "favorable": _percent(r.favorable),
                "labels": r.labels,
                "distribution": r.distribution,
                "distribution_hidden": r.distribution_hidden,
                "enps": r.enps,
                "comments": r.comments,
            }
            for r in results.questions
        ],
        "heatmap": {
            "questions": [q.pk for q in results.heatmap_questions],
            "rows": [
                {
                    "group": row.key,
                    "visible": row.visible,
                    "values": [_headline(cell) for cell in cells],
                }
                for row, cells in results.heatmap
            ],
        },
    }


class RoundViewSet(OrgScopedReadOnlyViewSet):
    model = Round
    serializer_class = RoundSerializer
    roles = {"results": MANAGERS, "close": ADMINS, "*": EVERYONE}

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("survey")
        if self.membership.role in MANAGERS:
            return queryset
        invited = selectors.survey_ids_for_member(
            organization=self.organization, membership=self.membership
        )
        return queryset.filter(survey_id__in=invited)

    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None, org_slug=None):
        round = self.get_object()
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answers = {row["question"]: row["value"] for row in serializer.validated_data["answers"]}
        if len(answers) != len(serializer.validated_data["answers"]):
            return Response({"answers": [_("Each question may be answered once.")]}, status=400)
        try:
            services.response_submit(
                organization=self.organization,
                round=round,
                membership=self.membership,
                answers=answers,
            )
        except services.AnswersUnavailable as refusal:
            return Response(
                {"detail": refusal.messages[0], "code": refusal.code},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60"},
            )
        except (services.AlreadyAnswered, services.RoundNotOpen) as refusal:
            code = refusal.code or "refused"
            http = status.HTTP_403_FORBIDDEN if code == "not_invited" else status.HTTP_409_CONFLICT
            return Response({"detail": refusal.messages[0], "code": code}, status=http)
        except DjangoValidationError as error:
            detail = (
                error.message_dict if hasattr(error, "error_dict") else {"answers": error.messages}
            )
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"detail": _("Thank you! Your answers were recorded anonymously.")},
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["get"])
    def results(self, request, pk=None, org_slug=None):
        round = services.round_ensure_frozen(
            organization=self.organization, round=self.get_object()
        )
        try:
            results = selectors.round_results(
                organization=self.organization,
                round=round,
                viewer=self.membership,
                group=request.query_params.get("group"),
            )
        except selectors.ResultsRefused as refusal:
            code = "not_found" if isinstance(refusal, selectors.OutOfScope) else "suppressed"
            return Response({"detail": str(refusal), "code": code}, status=refusal.status)
        return Response(_results_payload(results))

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, org_slug=None):
        round = services.round_close(organization=self.organization, round=self.get_object())
        return Response(RoundSerializer(round, context=self.get_serializer_context()).data)


# --- 1:1 meetings --------------------------------------------------------------------------


class OneOnOneSerializer(serializers.ModelSerializer):
    report = OrgRelatedField(Membership)

    class Meta:
        model = OneOnOne
        fields = [
            "id",
            "manager",
            "report",
            "cadence",
            "first_meeting_at",
            "duration_minutes",
            "is_active",
        ]
        read_only_fields = ["manager", "is_active"]


class OneOnOneViewSet(OrgScopedViewSet):
    model = OneOnOne
    serializer_class = OneOnOneSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.filter(Q(manager=self.membership) | Q(report=self.membership))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.one_on_one_create(
            organization=self.organization,
            manager=self.membership,
            report=data["report"],
            first_meeting_at=data["first_meeting_at"],
            cadence=data.get("cadence", OneOnOne.Cadence.BIWEEKLY),
            duration_minutes=data.get("duration_minutes", 30),
        )


class MeetingSerializer(serializers.ModelSerializer):
    """Shared content only: private notes are never part of a meeting's representation."""

    agenda = serializers.SerializerMethodField()
    action_items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "series", "scheduled_at", "shared_notes", "agenda", "action_items"]
        read_only_fields = ["series", "scheduled_at"]

    def get_agenda(self, meeting) -> list[dict]:
        return [
            {"id": a.pk, "text": a.text, "author": a.author_id, "is_discussed": a.is_discussed}
            for a in meeting.agenda.all()
        ]

    def get_action_items(self, meeting) -> list[dict]:
        return [
            {
                "id": a.pk,
                "text": a.text,
                "owner": a.owner_id,
                "due_on": a.due_on,
                "done": a.done_at is not None,
            }
            for a in meeting.series.action_items.all()
        ]


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=10000)


class ActionItemInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    owner = OrgRelatedField(Membership)
    due_on = serializers.DateField(required=False, allow_null=True)


class MeetingViewSet(OrgScopedReadOnlyViewSet):
    model = Meeting
    serializer_class = MeetingSerializer

    def scope_queryset(self, queryset):
        return queryset.filter(
            Q(series__manager=self.membership) | Q(series__report=self.membership)
        ).select_related("series")

    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None, org_slug=None):
        meeting = self.get_object()
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.agenda_item_add(
            organization=self.organization,
            meeting=meeting,
            author=self.membership,
            **serializer.validated_data,
        )
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["put"], url_path="shared-notes")
    def shared_notes(self, request, pk=None, org_slug=None):
        meeting = self.get_object()
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.shared_notes_save(
            organization=self.organization,
            meeting=meeting,
            author=self.membership,
            **serializer.validated_data,
        )
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["get", "put"], url_path="private-note")
    def private_note(self, request, pk=None, org_slug=None):
        """The caller's own private note; there is no way to ask for someone else's."""
        meeting = self.get_object()
        if request.method == "PUT":
            serializer = TextSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.private_note_save(
                organization=self.organization,
                meeting=meeting,
                author=self.membership,
                **serializer.validated_data,
            )
        note = (
            PrivateNote.objects.for_org(self.organization)
            .filter(meeting=meeting, author=self.membership)
            .first()
        )
        return Response({"text": note.text if note else ""})

    @action(detail=True, methods=["post"], url_path="action-items")
    def action_items(self, request, pk=None, org_slug=None):
        meeting = self.get_object()
        serializer = ActionItemInSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.action_item_add(
            organization=self.organization,
            meeting=meeting,
            author=self.membership,
            **serializer.validated_data,
        )
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
