"""Thin HTML views: pulse surveys for employees, results for admins and managers, 1:1s."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Membership, Team
from advocacy.tenancy.permissions import ADMINS, EVERYONE, MANAGERS
from advocacy.tenancy.views import OrgView

from . import anonymity, selectors, services
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    AnswerForm,
    BankQuestionForm,
    CustomQuestionForm,
    NotesForm,
    OneOnOneForm,
    SettingsForm,
    SurveyForm,
)
from .models import ActionItem, AgendaItem, Meeting, PrivateNote, Question, Round, Survey


def _url(view: OrgView, name: str, **kwargs) -> str:
    return reverse(f"surveys:{name}", kwargs={"org_slug": view.organization.slug, **kwargs})


def _refuse(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- employees ---------------------------------------------------------------------


class InboxView(OrgView):
    allowed_roles = EVERYONE

    def get(self, request):
        rounds = selectors.rounds_open_for(
            organization=self.organization, membership=self.membership
        )
        return render(
            request, "surveys/inbox.html", {"rounds": rounds, "threshold": self._threshold()}
        )

    def _threshold(self) -> int:
        return selectors.survey_settings_get(organization=self.organization).anonymity_threshold


class PromptView(OrgView):
    """The in-app prompt: an htmx banner any page can load."""

    allowed_roles = EVERYONE

    def get(self, request):
        rounds = selectors.rounds_open_for(
            organization=self.organization, membership=self.membership
        )
        waiting = [r for r in rounds if not r["answered"]]
        return render(request, "surveys/partials/prompt.html", {"waiting": waiting})


class AnswerView(OrgView):
    allowed_roles = EVERYONE

    def _round(self, pk) -> Round:
        return self.get_org_object(Round, pk=pk)

    def _context(self, round, form) -> dict:
        return {
            "round": round,
            "survey": round.survey,
            "form": form,
            "threshold": selectors.survey_settings_get(
                organization=self.organization
            ).anonymity_threshold,
            "team": self.membership.team,
        }

    def _form(self, round, data=None) -> AnswerForm:
        questions = list(self.org_queryset(Question).filter(survey_id=round.survey_id))
        return AnswerForm(data, questions=questions, organization=self.organization)

    def get(self, request, pk):
        round = self._round(pk)
        open_rounds = selectors.rounds_open_for(
            organization=self.organization, membership=self.membership
        )
        entry = next((r for r in open_rounds if r["round"].pk == round.pk), None)
        if entry is None or entry["answered"]:
            if entry is None:
                messages.info(request, _("This survey round is not open for you."))
            else:
                messages.info(request, _("You have already answered this round. Thank you!"))
            return redirect(_url(self, "inbox"))
        return render(request, "surveys/answer.html", self._context(round, self._form(round)))

    def post(self, request, pk):
        round = self._round(pk)
        form = self._form(round, request.POST)
        if form.is_valid():
            try:
                services.response_submit(
                    organization=self.organization,
                    round=round,
                    membership=self.membership,
                    answers=form.answers(),
                )
            except services.AlreadyAnswered as error:
                _refuse(request, error)
                return redirect(_url(self, "inbox"))
            except services.AnswersUnavailable as error:
                form.add_error(None, error.messages)
                response = render(
                    request, "surveys/answer.html", self._context(round, form), status=503
                )
                response["Retry-After"] = "60"
                return response
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    _refuse(request, error)
                    return redirect(_url(self, "inbox"))
            else:
                messages.success(request, _("Thank you! Your answers were recorded anonymously."))
                return redirect(_url(self, "inbox"))
        return render(request, "surveys/answer.html", self._context(round, form), status=400)


# --- admins and managers -------------------------------------------------------------


class ManageView(OrgView):
    allowed_roles = MANAGERS

    def get(self, request):
        today = timezone.localdate()
        start = today - datetime.timedelta(days=365)
        team_ids = None if self.membership.role in ADMINS else [self.membership.team_id or 0]
        trend = selectors.enps_trend(
            organization=self.organization, start=start, end=today, team_ids=team_ids
        )
        feedback = selectors.program_feedback_summary(
            organization=self.organization, start=start, end=today
        )
        return render(
            request,
            "surveys/manage.html",
            {
                "surveys": selectors.survey_list(organization=self.organization).order_by(
                    "-created_at"
                ),
                "trend": trend,
                "trend_json": _trend_json(trend),
                "feedback": feedback,
                "is_admin": self.membership.role in ADMINS,
                "threshold": selectors.survey_settings_get(
                    organization=self.organization
                ).anonymity_threshold,
            },
        )


def _trend_json(trend: list[dict]) -> dict:
    """Chart data, handed to the page with json_script."""
    return {
        "labels": [f"{row['survey']} #{row['round']}" for row in trend],
        "scores": [row["score"] for row in trend],
    }


class SurveyCreateView(OrgView):
    allowed_roles = ADMINS

    def _form(self, data=None):
        return SurveyForm(
            data, teams=self.org_queryset(Team), initial={"starts_on": timezone.localdate()}
        )

    def get(self, request):
        return render(request, "surveys/survey_form.html", {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = services.survey_create(
                    organization=self.organization,
                    title=data["title"],
                    kind=form.kind(),
                    recurrence=data["recurrence"],
                    window_days=data["window_days"],
                    starts_on=data["starts_on"],
                    description=data["description"],
                    audience_teams=form.audience_teams(),
                    template=data["template"] or None,
                    created_by=self.membership,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Survey created."))
                return redirect(_url(self, "survey", pk=survey.pk))
        return render(request, "surveys/survey_form.html", {"form": form}, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SurveyDetailView(OrgView):
    allowed_roles = MANAGERS

    def get(self, request, pk):
        survey = self.get_org_object(Survey, pk=pk)
        rounds = list(self.org_queryset(Round).filter(survey=survey).order_by("-number"))
        team_ids = None if self.membership.role in ADMINS else [self.membership.team_id or 0]
        first = rounds[-1].opens_at.date() if rounds else survey.starts_on
        trend = selectors.enps_trend(
            organization=self.organization,
            start=min(first, survey.starts_on),
            end=timezone.localdate(),
            team_ids=team_ids,
            survey=survey,
        )
        return render(
            request,
            "surveys/survey_detail.html",
            {
                "survey": survey,
                "rounds": rounds,
                "now": timezone.now(),
                "questions": _with_text(
                    self.org_queryset(Question).filter(survey=survey), self.organization
                ),
                "is_admin": self.membership.role in ADMINS,
                "bank_form": BankQuestionForm(organization=self.organization),
                "custom_form": CustomQuestionForm(),
                "trend": trend,
                "trend_json": _trend_json(trend),
                "audience": [row.team for row in survey.audience.select_related("team")],
            },
        )


def _with_text(questions, organization) -> list[Question]:
    questions = list(questions)
    for question in questions:
        question.display_text = question.text_for(organization)
    return questions


class QuestionAddView(OrgView):
    allowed_roles = ADMINS

    def post(self, request, pk):
        survey = self.get_org_object(Survey, pk=pk)
        try:
            if request.POST.get("source") == "bank":
                form = BankQuestionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose a question from the bank."))
                services.question_add_from_bank(
                    organization=self.organization,
                    survey=survey,
                    key=form.cleaned_data["key"],
                    actor=self.membership,
                )
            else:
                form = CustomQuestionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                services.question_add(
                    organization=self.organization,
                    survey=survey,
                    kind=form.cleaned_data["kind"],
                    text_en=form.cleaned_data["text_en"],
                    text_id=form.cleaned_data["text_id"],
                    choices=form.choices_data(),
                    actor=self.membership,
                )
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(request, _("Question added."))
        return redirect(_url(self, "survey", pk=survey.pk))


class QuestionRemoveView(OrgView):
    allowed_roles = ADMINS

    def post(self, request, pk):
        question = self.get_org_object(Question, pk=pk)
        try:
            services.question_remove(
                organization=self.organization, question=question, actor=self.membership
            )
        except ValidationError as error:
            _refuse(request, error)
        return redirect(_url(self, "survey", pk=question.survey_id))


class RoundOpenView(OrgView):
    allowed_roles = ADMINS

    def post(self, request, pk):
        survey = self.get_org_object(Survey, pk=pk)
        try:
            services.round_open(organization=self.organization, survey=survey)
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(request, _("The round is open and invitations are on their way."))
        return redirect(_url(self, "survey", pk=survey.pk))


class RoundCloseView(OrgView):
    allowed_roles = ADMINS

    def post(self, request, pk):
        round = self.get_org_object(Round, pk=pk)
        services.round_close(organization=self.organization, round=round)
        messages.success(request, _("The round is closed; its results are ready."))
        return redirect(_url(self, "results", pk=round.pk))


class ResultsView(OrgView):
    allowed_roles = MANAGERS

    def get(self, request, pk):
        round = self.get_org_object(Round, pk=pk)
        round = services.round_ensure_frozen(organization=self.organization, round=round)
        try:
            results = selectors.round_results(
                organization=self.organization,
                round=round,
                viewer=self.membership,
                group=request.GET.get("group"),
            )
        except selectors.OutOfScope as refusal:
            if request.GET.get("group"):
                raise Http404 from refusal
            return render(
                request,
                "surveys/results_refused.html",
                {"round": round, "reason": str(refusal)},
                status=404,
            )
        except selectors.ResultsRefused as refusal:
            return render(
                request,
                "surveys/results_refused.html",
                {"round": round, "reason": str(refusal)},
                status=403,
            )
        return render(
            request,
            "surveys/results.html",
            {"results": results, "round": round, "ALL": anonymity.ALL},
        )


class ExportView(OrgView):
    allowed_roles = MANAGERS

    def get(self, request, pk):
        round = self.get_org_object(Round, pk=pk)
        round = services.round_ensure_frozen(organization=self.organization, round=round)
        try:
            rows = selectors.results_export_rows(
                organization=self.organization, round=round, viewer=self.membership
            )
        except selectors.ResultsRefused as refusal:
            return HttpResponse(
                str(refusal), status=refusal.status, content_type="text/plain; charset=utf-8"
            )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="survey-{round.survey_id}-round-{round.number}.csv"'
        )
        writer = csv.writer(response)
        for row in rows:
            # A leading =, +, - or @ would run as a formula in a spreadsheet.
            writer.writerow(
                ["'" + c if isinstance(c, str) and c[:1] and c[0] in "=+-@" else c for c in row]
            )
        return response


class SettingsView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        current = selectors.survey_settings_get(organization=self.organization)
        return render(
            request,
            "surveys/settings.html",
            {"form": SettingsForm(initial={"anonymity_threshold": current.anonymity_threshold})},
        )

    def post(self, request):
        form = SettingsForm(request.POST)
        if form.is_valid():
            services.survey_settings_update(
                organization=self.organization,
                anonymity_threshold=form.cleaned_data["anonymity_threshold"],
                actor=self.membership,
            )
            messages.success(request, _("Settings saved."))
            return redirect(_url(self, "manage"))
        return render(request, "surveys/settings.html", {"form": form}, status=400)


# --- 1:1 meetings ---------------------------------------------------------------------


class OneOnOneListView(OrgView):
    allowed_roles = EVERYONE

    def _reports(self):
        return list(selectors.reports_of(organization=self.organization, manager=self.membership))

    def get(self, request, form=None):
        series = list(
            selectors.one_on_one_list(organization=self.organization, membership=self.membership)
        )
        now = timezone.now()
        upcoming = {
            m.series_id: m
            for m in self.org_queryset(Meeting)
            .filter(series__in=series, scheduled_at__gt=now)
            .order_by("-scheduled_at")
        }
        reports = self._reports()
        return render(
            request,
            "surveys/one_on_ones.html",
            {
                "rows": [(s, upcoming.get(s.pk)) for s in series],
                "me": self.membership,
                "form": form or (OneOnOneForm(reports=reports) if reports else None),
            },
            status=400 if form else 200,
        )

    def post(self, request):
        form = OneOnOneForm(request.POST, reports=self._reports())
        if form.is_valid():
            data = form.cleaned_data
            try:
                series = services.one_on_one_create(
                    organization=self.organization,
                    manager=self.membership,
                    report=form.reports[data["report"]],
                    cadence=data["cadence"],
                    first_meeting_at=data["first_meeting_at"],
                    duration_minutes=data["duration_minutes"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The 1:1 is scheduled."))
                meeting = self.org_queryset(Meeting).filter(series=series).first()
                return redirect(_url(self, "meeting", pk=meeting.pk))
        return self.get(request, form=form)


class MeetingMixin:
    def _meeting(self, pk) -> Meeting:
        meeting = self.get_org_object(Meeting, pk=pk)
        if self.membership.pk not in meeting.series.participant_ids():
            raise Http404  # not yours reads like not there, for admins too
        return meeting

    def _render(self, request, meeting, status=200, **forms):
        series = meeting.series
        participants = list(
            self.org_queryset(Membership)
            .filter(pk__in=series.participant_ids())
            .select_related("user")
        )
        note = (
            self.org_queryset(PrivateNote).filter(meeting=meeting, author=self.membership).first()
        )
        context = {
            "meeting": meeting,
            "series": series,
            "me": self.membership,
            "other": next((p for p in participants if p.pk != self.membership.pk), None),
            "agenda": self.org_queryset(AgendaItem)
            .filter(meeting=meeting)
            .select_related("author__user"),
            "actions": self.org_queryset(ActionItem)
            .filter(series=series)
            .select_related("owner__user"),
            "private_note": note.text if note else "",
            "meetings": self.org_queryset(Meeting)
            .filter(series=series)
            .order_by("-scheduled_at")[:12],
            "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
            "action_form": forms.get("action_form") or ActionItemForm(participants=participants),
        }
        return render(request, "surveys/meeting.html", context, status=status)


class MeetingView(MeetingMixin, OrgView):
    allowed_roles = EVERYONE

    def get(self, request, pk):
        return self._render(request, self._meeting(pk))


class AgendaAddView(MeetingMixin, OrgView):
    allowed_roles = EVERYONE

    def post(self, request, pk):
        meeting = self._meeting(pk)
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            services.agenda_item_add(
                organization=self.organization,
                meeting=meeting,
                author=self.membership,
                text=form.cleaned_data["text"],
            )
        if request.headers.get("HX-Request"):
            agenda = (
                self.org_queryset(AgendaItem).filter(meeting=meeting).select_related("author__user")
            )
            return render(
                request,
                "surveys/partials/agenda.html",
                {"meeting": meeting, "agenda": agenda, "agenda_form": AgendaItemForm()},
            )
        return redirect(_url(self, "meeting", pk=meeting.pk))


class AgendaToggleView(MeetingMixin, OrgView):
    allowed_roles = EVERYONE

    def post(self, request, pk):
        item = self.get_org_object(AgendaItem, pk=pk)
        meeting = self._meeting(item.meeting_id)
        services.agenda_item_toggle(
            organization=self.organization, item=item, actor=self.membership
        )
        return redirect(_url(self, "meeting", pk=meeting.pk))


class NotesSaveView(MeetingMixin, OrgView):
    allowed_roles = EVERYONE

    def post(self, request, pk, which):
        if which not in ("private", "shared"):
            raise Http404
        meeting = self._meeting(pk)
        form = NotesForm(request.POST)
        if form.is_valid():
            text = form.cleaned_data["text"]
            if which == "private":
                services.private_note_save(
                    organization=self.organization,
                    meeting=meeting,
                    author=self.membership,
                    text=text,
                )
            else:
                services.shared_notes_save(
                    organization=self.organization,
                    meeting=meeting,
                    author=self.membership,
                    text=text,
                )
            messages.success(request, _("Notes saved."))
        return redirect(_url(self, "meeting", pk=meeting.pk))


class ActionAddView(MeetingMixin, OrgView):
    allowed_roles = EVERYONE

    def post(self, request, pk):
        meeting = self._meeting(pk)
        participants = list(
            self.org_queryset(Membership)
            .filter(pk__in=meeting.series.participant_ids())
            .select_related("user")
        )
        form = ActionItemForm(request.POST, participants=participants)
        if form.is_valid():
            data = form.cleaned_data
            services.action_item_add(
                organization=self.organization,
                meeting=meeting,
                author=self.membership,
                owner=form.participants[data["owner"]],
                text=data["text"],
                due_on=data["due_on"],
            )
            return redirect(_url(self, "meeting", pk=meeting.pk))
        return self._render(request, meeting, status=400, action_form=form)


class ActionToggleView(MeetingMixin, OrgView):
    allowed_roles = EVERYONE

    def post(self, request, pk):
        item = self.get_org_object(ActionItem, pk=pk)
        if self.membership.pk not in item.series.participant_ids():
            raise Http404
        services.action_item_toggle(
            organization=self.organization, item=item, actor=self.membership
        )
        back = (
            item.meeting_id
            or self.org_queryset(Meeting)
            .filter(series=item.series)
            .values_list("pk", flat=True)
            .first()
        )
        return redirect(_url(self, "meeting", pk=back))
