"""Forms of the survey and 1:1 pages; the services do the real checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from advocacy.forms import BootstrapFormMixin

from . import bank
from .models import (
    MAX_QUESTIONS,
    MIN_THRESHOLD,
    OneOnOne,
    Question,
    QuestionKind,
    Recurrence,
    Survey,
)


class SettingsForm(BootstrapFormMixin, forms.Form):
    anonymity_threshold = forms.IntegerField(
        label=_("Anonymity threshold"),
        min_value=MIN_THRESHOLD,
        max_value=50,
        help_text=_(
            "Results of any group with fewer respondents are hidden, and so is any group that would let them be worked out by subtraction."
        ),
    )


class SurveyForm(BootstrapFormMixin, forms.Form):
    template = forms.ChoiceField(label=_("Start from"), required=False)
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recurrence = forms.ChoiceField(
        label=_("Repeats"), choices=Recurrence.choices, initial=Recurrence.MONTHLY
    )
    window_days = forms.IntegerField(
        label=_("Open for (days)"), min_value=1, max_value=60, initial=5
    )
    starts_on = forms.DateField(
        label=_("First round on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to ask everyone. A team includes its sub-teams."),
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.fields["template"].choices = [("", _("An empty survey"))] + [
            (key, template.label) for key, template in bank.TEMPLATES.items()
        ]
        self.fields["audience"].choices = [(pk, team.name) for pk, team in self.teams.items()]

    def audience_teams(self):
        return [self.teams[pk] for pk in self.cleaned_data["audience"]]

    def kind(self) -> str:
        template = bank.TEMPLATES.get(self.cleaned_data.get("template") or "")
        return template.kind if template else Survey.Kind.PULSE


class BankQuestionForm(BootstrapFormMixin, forms.Form):
    key = forms.ChoiceField(label=_("From the question bank"))

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "en")[:2]
        name = organization.name if organization is not None else "…"
        groups: dict[str, list] = {}
        for item in bank.QUESTIONS.values():
            text = (item.text_id if language == "id" else item.text_en).replace(
                "{organization}", name
            )
            groups.setdefault(str(bank.CATEGORIES[item.category]), []).append((item.key, text))
        self.fields["key"].choices = list(groups.items())


class CustomQuestionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300)
    text_id = forms.CharField(
        label=_("Question (Bahasa Indonesia)"), max_length=300, required=False
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For choice questions: one per line, English | Bahasa Indonesia."),
    )

    def choices_data(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data.get("choices", "").splitlines():
            if line.strip():
                en, _sep, id_ = line.partition("|")
                rows.append({"en": en.strip(), "id": id_.strip()})
        return rows


class AnswerForm(forms.Form):
    """One field per question, named q<id>, built from the survey."""

    def __init__(self, *args, questions: list[Question], organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions[:MAX_QUESTIONS]
        for question in self.questions:
            label = question.text_for(organization)
            name = f"q{question.pk}"
            if question.kind == QuestionKind.AGREE5:
                choices = [
                    (1, _("Strongly disagree")),
                    (2, _("Disagree")),
                    (3, _("Neutral")),
                    (4, _("Agree")),
                    (5, _("Strongly agree")),
                ]
                self.fields[name] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.RadioSelect
                )
            elif question.kind == QuestionKind.SCALE10:
                choices = [(n, str(n)) for n in range(11)]
                self.fields[name] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.RadioSelect
                )
            elif question.kind == QuestionKind.SINGLE:
                choices = list(enumerate(question.choice_labels()))
                self.fields[name] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.RadioSelect
                )
            elif question.kind == QuestionKind.MULTIPLE:
                choices = list(enumerate(question.choice_labels()))
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                )
            self.fields[name].question = question

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def rows(self):
        return [(self[f"q{q.pk}"], q) for q in self.questions]


class OneOnOneForm(BootstrapFormMixin, forms.Form):
    report = forms.ChoiceField(label=_("With"))
    cadence = forms.ChoiceField(
        label=_("Repeats"), choices=OneOnOne.Cadence.choices, initial=OneOnOne.Cadence.BIWEEKLY
    )
    first_meeting_at = forms.DateTimeField(
        label=_("First meeting"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=240, initial=30
    )

    def __init__(self, *args, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reports = {str(m.pk): m for m in reports}
        self.fields["report"].choices = [
            (pk, m.user.get_full_name()) for pk, m in self.reports.items()
        ]


class AgendaItemForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Add a topic"), max_length=300)


class NotesForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionItemForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = {str(m.pk): m for m in participants}
        self.fields["owner"].choices = [
            (pk, m.user.get_full_name()) for pk, m in self.participants.items()
        ]
