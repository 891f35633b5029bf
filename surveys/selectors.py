"""Reads for surveys and 1:1s. Every result goes through `anonymity.plan()`:
pages, API, CSV export and analytics all see the same suppressed groups."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.formatting import rate_cell
from advocacy.tenancy.models import Membership, Organization, Team
from advocacy.tenancy.permissions import ADMINS
from advocacy.tenancy.selectors import membership_tree_ids, team_tree_ids

from . import anonymity, metrics
from .models import (
    DEFAULT_THRESHOLD,
    ActionItem,
    Answer,
    Meeting,
    OneOnOne,
    Participation,
    Question,
    QuestionKind,
    Response,
    Round,
    Survey,
    SurveySettings,
)

# --- settings, surveys, audience ---------------------------------------------


def survey_settings_get(*, organization: Organization) -> SurveySettings:
    found = SurveySettings.objects.for_org(organization).first()
    return found or SurveySettings(organization=organization, anonymity_threshold=DEFAULT_THRESHOLD)


def survey_list(*, organization: Organization) -> QuerySet[Survey]:
    return Survey.objects.for_org(organization).annotate(
        question_count=Count("questions", distinct=True), round_count=Count("rounds", distinct=True)
    )


def audience_member_ids(*, organization: Organization, survey: Survey) -> set[int]:
    """Active members invited to the survey: everyone, or the audience teams and their sub-teams."""
    members = Membership.objects.for_org(organization).filter(is_active=True)
    audience = list(survey.audience.select_related("team"))
    if audience:
        teams: set[int] = set()
        for row in audience:
            teams |= team_tree_ids(organization=organization, root=row.team)
        members = members.filter(team_id__in=teams)
    return set(members.values_list("id", flat=True))


def rounds_open_for(*, organization: Organization, membership: Membership, now=None) -> list[dict]:
    """Open rounds this person is invited to, and whether they already took part."""
    now = now or timezone.now()
    rounds = list(
        Round.objects.for_org(organization)
        .filter(opens_at__lte=now, closes_at__gt=now, survey__is_active=True)
        .select_related("survey")
        .order_by("closes_at")
    )
    answered = set(
        Participation.objects.for_org(organization)
        .filter(membership=membership, round__in=rounds)
        .values_list("round_id", flat=True)
    )
    invited = survey_ids_for_member(organization=organization, membership=membership)
    return [{"round": r, "answered": r.pk in answered} for r in rounds if r.survey_id in invited]


# --- results -----------------------------------------------------------------


class ResultsRefused(Exception):
    """A group was asked for that may not be shown; the message says why."""

    status = 403


class OutOfScope(ResultsRefused):
    status = 404


def results_scope(
    *, organization: Organization, membership: Membership
) -> anonymity.GroupKey | None:
    """Admins see the whole organization; a manager their team with its sub-teams."""
    if membership.role in ADMINS:
        return anonymity.ALL
    return membership.team_id


@dataclass
class GroupRow:
    key: anonymity.GroupKey
    label: str
    depth: int
    visible: bool
    respondents: int | None  # None when hidden: not even the size is shown
    hidden_because: str | None

    @property
    def indent(self) -> str:
        return "· " * self.depth


@dataclass
class QuestionResult:
    question: Question
    text: str
    kind: str
    respondents: int = 0
    mean: float | None = None
    favorable: float | None = None  # a rate (0.125), shown as every rate is ("12.5%")
    distribution: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    enps: dict | None = None
    comments: list[str] = field(default_factory=list)
    # Too few answered this question in this group (or it could be worked out by
    # subtraction): nothing about it is shown, not even how many answered.
    hidden: bool = False
    # Some option was chosen by fewer than the threshold here (or could be worked
    # out from other groups): no option counts are shown, only the headline.
    distribution_hidden: bool = False

    @property
    def headline_is_rate(self) -> bool:
        """Whether the headline is a rate (% favorable), to be shown as a percentage."""
        return self.enps is None and self.kind == QuestionKind.AGREE5

    def headline(self) -> float | int | None:
        """The number a heat map cell shows: eNPS, % favorable (a rate), or the mean of 0–10."""
        if self.hidden:
            return None
        if self.enps is not None:
            return self.enps["score"]
        if self.kind == QuestionKind.AGREE5:
            return self.favorable
        if self.kind == QuestionKind.SCALE10:
            return self.mean
        return None

    def bars(self) -> list[tuple[str, int, int]]:
        """(label, count, percent of respondents) for a distribution chart."""
        total = self.respondents or 1
        return [
            (label, count, round(100 * count / total))
            for label, count in zip(self.labels, self.distribution, strict=False)
        ]

    def level(self) -> str:
        """high / mid / low, for the heat map's colour."""
        value = self.headline()
        if value is None:
            return ""
        high, mid = (
            (30, 0)
            if self.enps is not None
            else (0.7, 0.5)
            if self.kind == QuestionKind.AGREE5
            else (8, 6)
        )
        return "high" if value >= high else "mid" if value >= mid else "low"


@dataclass
class RoundResults:
    round: Round
    threshold: int
    scope: anonymity.GroupKey
    group: anonymity.GroupKey
    groups: list[GroupRow]
    questions: list[QuestionResult]
    heatmap_questions: list[Question]
    heatmap: list[tuple[GroupRow, list[QuestionResult | None]]]


class _RoundData:
    """Everything needed to answer questions about one frozen round, in a few queries.

    The team tree, questions and threshold come from the round's copy made at close,
    never from today's: a team moved, split or deleted later, a question added later
    or a threshold lowered later changes nothing here."""

    def __init__(self, *, organization: Organization, round: Round):
        if not round.is_frozen:
            raise ResultsRefused(_("This round's results are being prepared; try again shortly."))
        self.organization = organization
        self.round = round
        self.threshold = round.threshold or DEFAULT_THRESHOLD
        self.team_names = {team_id: name for team_id, _parent, name in round.team_tree}
        self.parents = {team_id: parent for team_id, parent, _name in round.team_tree}
        counts = dict(
            Response.objects.for_org(organization)
            .filter(round=round)
            .values("team_key")
            .annotate(n=Count("id"))
            .values_list("team_key", "n")
        )
        self.plan = anonymity.plan(
            parents=self.parents, respondents=counts, threshold=self.threshold
        )
        self._answers: list | None = None
        self._question_plans: dict[int, anonymity.Plan] = {}
        self._distributions: dict[int, set] = {}

    def questions(self) -> list[Question]:
        return list(
            Question.objects.for_org(self.organization).filter(pk__in=self.round.question_ids)
        )

    def answers(self) -> list[tuple]:
        if self._answers is None:
            self._answers = list(
                Answer.objects.for_org(self.organization)
                .filter(response__round=self.round)
                .order_by("response_id", "id")  # random ids: a stable shuffle, not submission order
                .values_list("question_id", "response__team_key", "number", "selected", "text")
            )
        return self._answers

    def question_plan(self, question_id: int) -> anonymity.Plan:
        """The same rules over the people who answered this one question (comments are
        optional, so fewer may have answered it than the group has respondents)."""
        if question_id not in self._question_plans:
            counts: dict[int | None, int] = defaultdict(int)
            for qid, team_id, *_rest in self.answers():
                if qid == question_id:
                    counts[team_id] += 1
            self._question_plans[question_id] = anonymity.plan(
                parents=self.parents, respondents=counts, threshold=self.threshold
            )
        return self._question_plans[question_id]

    def shows(self, key: anonymity.GroupKey, question_id: int) -> bool:
        return self.plan.visible(key) and self.question_plan(question_id).visible(key)

    def distributions_shown(self, question: Question) -> set:
        """Groups whose option counts for this question may be shown, decided over the
        whole team tree (never the viewer's part of it), so every page, filter, API
        call and CSV export shows the same counts."""
        if question.pk not in self._distributions:
            size, low = _cell_shape(question)
            cells = {
                key: [0] * size
                for key in self.question_plan(question.pk).groups
                if self.shows(key, question.pk)
            }
            for qid, team_id, number, selected, _text in self.answers():
                if qid != question.pk or not size:
                    continue
                chosen = selected if question.kind == QuestionKind.MULTIPLE else [number]
                for index in chosen or []:
                    if index is None or not 0 <= index - low < size:
                        continue
                    for key in self.plan.keys_containing(team_id):
                        if key in cells:
                            cells[key][index - low] += 1
            self._distributions[question.pk] = anonymity.distributions_shown(
                self.question_plan(question.pk), cells
            )
        return self._distributions[question.pk]

    def label(self, key: anonymity.GroupKey) -> str:
        if key == anonymity.ALL:
            return _("Everyone")
        if key == anonymity.NO_TEAM:
            return _("No team")
        return self.team_names.get(key, "?")

    def rows(self, scope: anonymity.GroupKey) -> list[GroupRow]:
        rows = []
        depth_of = {scope: 0}
        for key in self.plan.descendants(scope):
            group = self.plan.groups[key]
            if key != scope:
                depth_of[key] = depth_of[group.parent] + 1
            rows.append(
                GroupRow(
                    key=key,
                    label=self.label(key),
                    depth=depth_of[key],
                    visible=group.visible,
                    respondents=group.respondents if group.visible else None,
                    hidden_because=group.hidden_because,
                )
            )
        return rows

    def aggregate(self, keys: set[anonymity.GroupKey], questions: list[Question]) -> dict:
        """Per (group, question) results for the given visible groups."""
        values: dict[tuple, list] = defaultdict(list)
        for question_id, team_id, number, selected, text in self.answers():
            for key in self.plan.keys_containing(team_id):
                if key in keys:
                    values[(key, question_id)].append((number, selected, text))
        results = {}
        for key in keys:
            for question in questions:
                if self.shows(key, question.pk):
                    result = _question_result(
                        question, values.get((key, question.pk), []), self.organization
                    )
                    if result.labels and key not in self.distributions_shown(question):
                        _hide_distribution(result)
                else:
                    result = QuestionResult(
                        question=question,
                        text=question.text_for(self.organization),
                        kind=question.kind,
                        hidden=True,
                    )
                results[(key, question.pk)] = result
        return results


def _cell_shape(question: Question) -> tuple[int, int]:
    """(number of options, value of the first) of a question's distribution."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return len(question.choice_labels()), 0
    if question.kind == QuestionKind.AGREE5:
        return 5, 1
    if question.kind == QuestionKind.SCALE10:
        return 11, 0
    return 0, 0


def _hide_distribution(result: QuestionResult) -> None:
    """No figure computed from hidden option counts is shown either: a mean, a %
    favorable or an eNPS score is a sum over the same counts, so with the group's size
    (shown) and a sub-group's figures (shown) it gives the hidden answers back by
    difference. Only how many answered stays."""
    result.distribution_hidden = True
    result.distribution = []
    result.mean = None
    result.favorable = None
    if result.enps is not None:
        result.enps = {**result.enps, "score": None}
        result.enps.update(promoters=None, passives=None, detractors=None)


def _question_result(question: Question, rows: list[tuple], organization) -> QuestionResult:
    result = QuestionResult(
        question=question, text=question.text_for(organization), kind=question.kind
    )
    if question.kind == QuestionKind.TEXT:
        result.comments = [text for _n, _s, text in rows if text.strip()]
        result.respondents = len(result.comments)
        return result
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        result.labels = question.choice_labels()
        counts = [0] * len(result.labels)
        for number, selected, _text in rows:
            for index in selected if question.kind == QuestionKind.MULTIPLE else [number]:
                if index is not None and 0 <= index < len(counts):
                    counts[index] += 1
        result.distribution, result.respondents = counts, len(rows)
        return result
    numbers = [number for number, _s, _t in rows if number is not None]
    low, high = (1, 5) if question.kind == QuestionKind.AGREE5 else (0, 10)
    result.respondents = len(numbers)
    result.labels = [str(v) for v in range(low, high + 1)]
    result.distribution = metrics.distribution(numbers, low, high)
    result.mean = metrics.mean(numbers)
    if question.kind == QuestionKind.AGREE5:
        result.favorable = metrics.favorable(numbers)
    if question.measure == Question.Measure.ENPS:
        result.enps = metrics.enps(numbers).as_dict()
    return result


def round_results(
    *, organization: Organization, round: Round, viewer: Membership, group: str | int | None = None
) -> RoundResults:
    """Results of a closed round for the viewer's scope, narrowed to one group.

    Raises `OutOfScope` for a group the viewer may not look at (or that does not
    exist) and `ResultsRefused` for one hidden by the anonymity rules.
    """
    if not round.is_closed() or not round.is_frozen:
        raise ResultsRefused(
            _(
                "Results appear when the round closes, so no single answer can be read by comparing two moments."
            )
        )
    scope = results_scope(organization=organization, membership=viewer)
    if scope is None:
        raise OutOfScope(_("You are not in a team, so there are no team results to show you."))
    data = _RoundData(organization=organization, round=round)
    in_scope = set(data.plan.descendants(scope)) if scope in data.plan.groups else set()
    key = _parse_group(group, default=scope)
    if key not in in_scope:
        raise OutOfScope(_("No such group."))
    if not data.plan.visible(key):
        raise ResultsRefused(
            _(
                "This group's results are hidden to protect anonymity: fewer than %(n)s people answered in it, or its results could be worked out from other groups."
            )
            % {"n": data.threshold}
        )
    questions = data.questions()
    visible = {k for k in in_scope if data.plan.visible(k)}
    aggregated = data.aggregate(visible, questions)
    rows = data.rows(scope)
    heat_questions = [q for q in questions if q.kind in (QuestionKind.AGREE5, QuestionKind.SCALE10)]
    heatmap = [
        (row, [aggregated[(row.key, q.pk)] if row.visible else None for q in heat_questions])
        for row in rows
    ]
    return RoundResults(
        round=round,
        threshold=data.threshold,
        scope=scope,
        group=key,
        groups=rows,
        questions=[aggregated[(key, q.pk)] for q in questions],
        heatmap_questions=heat_questions,
        heatmap=heatmap,
    )


def _parse_group(value, *, default):
    if value in (None, ""):
        return default
    if value in (anonymity.ALL, anonymity.NO_TEAM):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return object()  # matches nothing: reads like a missing group


def results_export_rows(
    *, organization: Organization, round: Round, viewer: Membership
) -> list[list]:
    """CSV rows: one per visible group and question; hidden groups appear, empty."""
    results = round_results(organization=organization, round=round, viewer=viewer)
    data = _RoundData(organization=organization, round=round)
    questions = data.questions()
    visible = {row.key for row in results.groups if row.visible}
    aggregated = data.aggregate(visible, questions)
    header = [
        _("Group"),
        _("Respondents"),
        _("Question"),
        _("Type"),
        _("Mean"),
        _("Favorable %"),
        _("eNPS"),
        _("Distribution"),
        _("Comments"),
    ]
    rows: list[list] = [header]
    for group in results.groups:
        if not group.visible:
            rows.append([group.label, _("hidden"), "", "", "", "", "", "", ""])
            continue
        for question in questions:
            r = aggregated[(group.key, question.pk)]
            if r.hidden:
                rows.append(
                    [group.label, _("hidden"), r.text, question.get_kind_display()] + [""] * 5
                )
                continue
            distribution = (
                _("hidden")
                if r.distribution_hidden
                else " ".join(
                    f"{label}:{count}"
                    for label, count in zip(r.labels, r.distribution, strict=False)
                )
            )
            rows.append(
                [
                    group.label,
                    group.respondents,
                    r.text,
                    question.get_kind_display(),
                    "" if r.mean is None else r.mean,
                    rate_cell(r.favorable),
                    "" if r.enps is None or r.enps["score"] is None else r.enps["score"],
                    distribution,
                    " | ".join(r.comments),
                ]
            )
    return rows


# --- trends for the survey pages and for analytics ----------------------------


def _as_datetime(value, *, end: bool = False) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    moment = datetime.datetime.combine(value, datetime.time.max if end else datetime.time.min)
    return timezone.make_aware(moment, datetime.UTC)


def _closed_rounds(*, organization, start, end, **filters) -> list[Round]:
    until = min(timezone.now(), _as_datetime(end, end=True))
    return list(
        Round.objects.for_org(organization)
        .filter(
            closes_at__gte=_as_datetime(start),
            closes_at__lte=until,
            frozen_at__isnull=False,  # results exist only once a round is frozen
            **filters,
        )
        .distinct()
        .select_related("survey")
        .order_by("closes_at")
    )


def enps_trend(
    *,
    organization: Organization,
    start,
    end,
    team_ids: list[int] | None = None,
    survey: Survey | None = None,
) -> list[dict]:
    """eNPS of every closed round with an eNPS question, in order, with the anonymity
    rules applied: a round whose group (everyone, or the teams asked for) is hidden
    comes back with `score` None and `suppressed` True."""
    filters: dict = {"survey__questions__measure": Question.Measure.ENPS}
    if survey is not None:
        filters["survey"] = survey
    rounds = _closed_rounds(organization=organization, start=start, end=end, **filters)
    enps_questions = {
        question.survey_id: question
        for question in Question.objects.for_org(organization).filter(
            measure=Question.Measure.ENPS, survey__in={r.survey_id for r in rounds}
        )
    }
    trend = []
    for round in rounds:
        data = _RoundData(organization=organization, round=round)
        keys = {anonymity.ALL} if not team_ids else set(team_ids)
        entry = {
            "round_id": round.pk,
            "survey_id": round.survey_id,
            "survey": round.survey.title,
            "round": round.number,
            "period": timezone.localdate(round.closes_at),
            "score": None,
            "responses": None,
            "promoters": None,
            "passives": None,
            "detractors": None,
            "suppressed": True,
        }
        question = enps_questions.get(round.survey_id)
        question_id = question.pk if question else None
        # The score is shown only where the option counts could be: a score over hidden
        # counts gives them back by difference (team vs. the team it belongs to).
        if question_id in round.question_ids and all(
            data.shows(k, question_id) and k in data.distributions_shown(question) for k in keys
        ):
            scores = [
                number
                for qid, team_id, number, _s, _t in data.answers()
                if qid == question_id
                and number is not None
                and keys.intersection(data.plan.keys_containing(team_id))
            ]
            result = metrics.enps(scores)
            entry.update(result.as_dict(), suppressed=False)
        trend.append(entry)
    return trend


def program_feedback_summary(*, organization: Organization, start, end) -> dict:
    """How supported and empowered advocates feel, from closed program feedback rounds
    whose organization-wide results are above the threshold."""
    rounds = _closed_rounds(
        organization=organization, start=start, end=end, survey__kind=Survey.Kind.PROGRAM
    )
    questions = {
        q.pk: q
        for q in Question.objects.for_org(organization).filter(
            survey__in={r.survey_id for r in rounds}, kind=QuestionKind.AGREE5
        )
    }
    by_key: dict[str, list[int]] = defaultdict(list)
    texts: dict[str, str] = {}
    counted_rounds = responses = 0
    for round in rounds:
        data = _RoundData(organization=organization, round=round)
        if not data.plan.visible(anonymity.ALL):
            continue
        counted_rounds += 1
        responses += data.plan.groups[anonymity.ALL].respondents
        # Only questions whose organization-wide option counts may be shown count: a
        # % favorable over hidden counts would give them back.
        readable = {
            question_id
            for question_id, question in questions.items()
            if question_id in round.question_ids
            and data.shows(anonymity.ALL, question_id)
            and anonymity.ALL in data.distributions_shown(question)
        }
        for question_id, _team, number, _s, _t in data.answers():
            question = questions.get(question_id)
            if question is not None and number is not None and question_id in readable:
                key = question.bank_key or f"q{question.pk}"
                by_key[key].append(number)
                texts.setdefault(key, question.text_for(organization))
    return {
        "start": start,
        "end": end,
        "rounds": counted_rounds,
        "responses": responses,
        "supported": metrics.favorable(by_key.get("prog_supported", [])),
        "empowered": metrics.favorable(by_key.get("prog_empowered", [])),
        "questions": [
            {
                "key": key,
                "text": texts[key],
                "favorable": metrics.favorable(values),
                "mean": metrics.mean(values),
                "answers": len(values),
            }
            for key, values in by_key.items()
        ],
    }


# --- 1:1 meetings ----------------------------------------------------------------


def one_on_one_list(*, organization: Organization, membership: Membership) -> QuerySet[OneOnOne]:
    """The series a person takes part in; nobody else sees them, admins included."""
    return (
        OneOnOne.objects.for_org(organization)
        .filter(Q(manager=membership) | Q(report=membership))
        .select_related("manager__user", "report__user")
        .order_by("first_meeting_at")
    )


def meeting_list(*, organization: Organization, membership: Membership) -> QuerySet[Meeting]:
    return (
        Meeting.objects.for_org(organization)
        .filter(Q(series__manager=membership) | Q(series__report=membership))
        .select_related("series__manager__user", "series__report__user")
    )


def reports_of(*, organization: Organization, manager: Membership) -> QuerySet[Membership]:
    ids = membership_tree_ids(organization=organization, manager=manager) - {manager.pk}
    return (
        Membership.objects.for_org(organization)
        .filter(pk__in=ids, is_active=True)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def action_items_open(*, organization: Organization, series: OneOnOne) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.for_org(organization).filter(series=series).select_related("owner__user")
    )


def survey_ids_for_member(*, organization: Organization, membership: Membership) -> set[int]:
    """Surveys a person is in the audience of (everyone, or one of their teams' ancestors)."""
    ancestors: set[int] = set()
    parents = dict(Team.objects.for_org(organization).values_list("id", "parent_id"))
    current = membership.team_id
    while current is not None and current not in ancestors:
        ancestors.add(current)
        current = parents.get(current)
    surveys = Survey.objects.for_org(organization)
    return set(surveys.filter(audience__isnull=True).values_list("id", flat=True)) | set(
        surveys.filter(audience__team_id__in=ancestors).values_list("id", flat=True)
    )
