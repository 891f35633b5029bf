"""Listening: pulse surveys with eNPS, anonymous responses, and 1:1 meetings.

Anonymity is a property of the schema, not of the views:

* `Response` and `Answer` carry no link to a person and no time: only the round
  and the key of the team the respondent belonged to when answering (the one
  grouping the results need; a plain number, so deleting a team moves nobody).
* `Participation` records who took part in which round (for reminders and "one
  response per person per round"); nothing links it to a response.
* Answers are sealed away from the database while a round is open (`surveys/sealed.py`)
  and written at close in one shuffled batch, in another transaction than any
  participation, so no transaction id, physical order or time joins the two.
* All rows get random primary keys, so the order of rows cannot be zipped with
  the order of participations (or with the points recognition awards for taking
  part) to re-identify anyone.
* At close a round freezes what its results are computed from: the team tree,
  the audience, the questions and the anonymity threshold in force.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, Team, TenantModel

MAX_QUESTIONS = 10
DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3


def random_id() -> int:
    """A primary key that says nothing about when the row was written."""
    return secrets.randbits(62) + 1


class Bilingual:
    """Question texts are data in both shipped languages; show the viewer's."""

    def localized(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_en")


class SurveySettings(TenantModel):
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(50)],
        help_text=_("Results of any group smaller than this are hidden (at least 3)."),
    )

    class Meta:
        verbose_name = _("survey settings")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="surveysettings_one_per_org"),
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=MIN_THRESHOLD),
                name="surveysettings_threshold_min",
            ),
        ]


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")


class Survey(TenantModel):
    class Kind(models.TextChoices):
        PULSE = "pulse", _("Pulse survey")
        ENPS = "enps", _("eNPS")
        PROGRAM = "program", _("Advocacy program feedback")

    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PULSE)
    description = models.TextField(_("introduction"), blank=True)
    recurrence = models.CharField(
        _("repeats"), max_length=16, choices=Recurrence.choices, default=Recurrence.MONTHLY
    )
    window_days = models.PositiveSmallIntegerField(
        _("open for (days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    starts_on = models.DateField(_("first round on"), default=timezone.localdate)
    # The date the next round is due; None once a one-off survey has run.
    next_round_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["organization", "is_active", "next_round_on"], name="survey_due")
        ]

    def __str__(self) -> str:
        return self.title


class SurveyAudienceTeam(TenantModel):
    """A team (with its sub-teams) invited to a survey; no rows means everyone."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="audience")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "survey", "team"], name="surveyaudience_unique"
            )
        ]


class QuestionKind(models.TextChoices):
    AGREE5 = "agree5", _("Agreement, 1–5")
    SCALE10 = "scale10", _("Scale, 0–10")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class Question(Bilingual, TenantModel):
    class Measure(models.TextChoices):
        NONE = "", _("None")
        ENPS = "enps", _("eNPS")
        ENPS_WHY = "enps_why", _("eNPS follow-up")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=16, choices=QuestionKind.choices)
    measure = models.CharField(max_length=16, choices=Measure.choices, blank=True, default="")
    # engagement, advocacy, manager, program, enps: the driver a question informs
    category = models.CharField(_("category"), max_length=32, blank=True)
    bank_key = models.CharField(max_length=40, blank=True)  # the bank question it came from
    # "{organization}" in a text is replaced by the organization's name when shown
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_id = models.CharField(_("question (Bahasa Indonesia)"), max_length=300, blank=True)
    # [{"en": "...", "id": "..."}, ...] for choice questions
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "survey"], name="question_org_survey")]

    def __str__(self) -> str:
        return self.text_en

    @property
    def is_optional(self) -> bool:
        # Only comments are optional: a skipped scale answer would make a question's
        # respondents a smaller group than the one the threshold was checked on.
        return self.kind == QuestionKind.TEXT

    def text_for(self, organization) -> str:
        return self.localized("text").replace("{organization}", organization.name)

    def choice_labels(self) -> list[str]:
        language = (get_language() or "en")[:2]
        return [choice.get(language) or choice.get("en", "") for choice in self.choices]


class Round(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    invited_count = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent_at = models.DateTimeField(null=True, blank=True)
    # Frozen at close (`round_finalize`): results are computed from these forever.
    frozen_at = models.DateTimeField(null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    team_tree = models.JSONField(default=list, blank=True)  # [[team id, parent id, name], ...]
    audience_team_ids = models.JSONField(default=list, blank=True)  # [] = everyone
    question_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "survey", "number"], name="round_unique_number"
            )
        ]
        indexes = [models.Index(fields=["organization", "closes_at"], name="round_org_closes")]

    def __str__(self) -> str:
        return f"{self.survey} #{self.number}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Participation(TenantModel):
    """Who took part in a round. Deliberately no time and no link to the answers."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "round", "membership"], name="participation_once_per_round"
            )
        ]


class Response(TenantModel):
    """One anonymous set of answers. The team is copied at submission for grouping."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    team_key = models.BigIntegerField(null=True, blank=True)  # None: no team

    class Meta:
        indexes = [models.Index(fields=["organization", "round"], name="response_org_round")]


class SealedAnswers(TenantModel):
    """Answers waiting for their round to close, when no Redis is configured (a laptop).

    With Redis (production) sealed answers never touch the database; this fallback
    shares the participation's transaction while the round is open, and its rows
    are deleted when the round's answers are written at close."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    payload = models.TextField()


class RevokedSeal(TenantModel):
    """A sealed response whose write timed out: the person was told nothing was
    recorded, so if the write lands late it is dropped at close. Only a random
    nonce; the participation it belonged to was never committed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32)


class Answer(TenantModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)  # scale value or chosen index
    selected = models.JSONField(default=list, blank=True)  # chosen indexes, multiple choice
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "question"], name="answer_org_question")]


# --- 1:1 meetings -----------------------------------------------------------


class OneOnOne(TenantModel):
    """A recurring 1:1 between a manager and one of their reports."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")

    manager = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    cadence = models.CharField(
        _("repeats"), max_length=16, choices=Cadence.choices, default=Cadence.BIWEEKLY
    )
    first_meeting_at = models.DateTimeField(_("first meeting"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "manager", "report"], name="oneonone_unique_pair"
            )
        ]

    def participant_ids(self) -> set[int]:
        return {self.manager_id, self.report_id}


class Meeting(TenantModel):
    series = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="meetings")
    scheduled_at = models.DateTimeField()
    shared_notes = models.TextField(_("shared notes"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "series", "scheduled_at"], name="meeting_unique_time"
            )
        ]
        indexes = [models.Index(fields=["organization", "scheduled_at"], name="meeting_org_time")]


class AgendaItem(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("topic"), max_length=300)
    is_discussed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]


class PrivateNote(TenantModel):
    """Only its author ever sees it: not the other participant, not an admin."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private notes"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "meeting", "author"], name="privatenote_one_per_author"
            )
        ]


class ActionItem(TenantModel):
    series = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    text = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
