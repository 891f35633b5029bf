"""Anonymity that does not erode, tried as an attacker: a closed round's results are
computed over what stood at its close (team tree, audience, questions, threshold),
questions are fixed while a round runs, and every figure is thresholded.

Teams of conftest.py: Sales 1 (+ Sales East 5), Marketing 2, Engineering 7; threshold 5.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from advocacy.audit.models import AuditEntry
from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Team
from surveys import selectors, services
from surveys.anonymity import ALL
from surveys.models import Question, Round, SurveyAudienceTeam

from .factories import answer, close, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db


def _everything(org, round, viewer):
    """Every figure a viewer can get for a round, for every group they may ask for."""
    seen = {}
    base = selectors.round_results(organization=org, round=round, viewer=viewer)
    for row in base.groups:
        try:
            results = selectors.round_results(
                organization=org, round=round, viewer=viewer, group=row.key
            )
        except selectors.ResultsRefused:
            seen[row.key] = "refused"
            continue
        seen[row.key] = [
            (q.question.pk, q.hidden, q.respondents, q.mean, q.distribution, q.enps, q.comments)
            for q in results.questions
        ]
    seen["groups"] = [(r.key, r.visible, r.respondents) for r in base.groups]
    seen["csv"] = selectors.results_export_rows(organization=org, round=round, viewer=viewer)
    return seen


# --- frozen at close ----------------------------------------------------------------


def test_a_team_tree_changed_after_close_changes_no_figure_and_reveals_no_one(
    closed_round, admin_a, teams, org_a
):
    """Marketing (2 people) is hidden. After close the attacker moves Marketing under
    Engineering (7, visible), so that Engineering would read 9 and the difference
    from the 7 seen before would be Marketing's two answers; then deletes Sales East
    and renames teams. Nothing they can read changes."""
    before = _everything(org_a, closed_round, admin_a)
    marketing, engineering = teams["marketing"], teams["engineering"]
    with org_context(org_a):
        marketing.parent = engineering
        marketing.save()
        teams["east"].delete()
        engineering.name = "Renamed"
        engineering.save()
        Team.objects.create(organization=org_a, name="New team")
    round = Round.objects.get(pk=closed_round.pk)
    after = _everything(org_a, round, admin_a)
    assert after == before
    engineering_results = selectors.round_results(
        organization=org_a, round=round, viewer=admin_a, group=engineering.pk
    )
    shown = {row.key: row.respondents for row in engineering_results.groups}
    assert shown[engineering.pk] == 7
    comments = [c for q in engineering_results.questions for c in q.comments]
    assert not [c for c in comments if c.startswith("marketing")]


def test_a_threshold_lowered_after_close_applies_only_to_later_rounds(
    org_a, people, admin_a, teams, django_capture_on_commit_callbacks
):
    services.survey_settings_update(organization=org_a, anonymity_threshold=8)
    survey = make_survey(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        round = open_round(survey)
    for members in people.values():
        for member in members:
            answer(round, member, comment="a comment long enough")
    round = close(round)
    assert round.threshold == 8
    services.survey_settings_update(organization=org_a, anonymity_threshold=5)
    results = selectors.round_results(organization=org_a, round=round, viewer=admin_a)
    assert results.threshold == 8
    assert [row.key for row in results.groups if row.visible] == [ALL]
    with pytest.raises(selectors.ResultsRefused):
        selectors.round_results(
            organization=org_a, round=round, viewer=admin_a, group=teams["engineering"].pk
        )
    # The next round is counted with the threshold in force at its own close.
    with django_capture_on_commit_callbacks(execute=True):
        later = open_round(survey)
    for member in people["engineering"] + people["east"]:
        answer(later, member)
    later = close(later)
    assert later.threshold == 5
    visible = selectors.round_results(organization=org_a, round=later, viewer=admin_a)
    assert teams["engineering"].pk in [row.key for row in visible.groups if row.visible]


def test_raising_the_threshold_after_close_does_not_rewrite_the_closed_round(
    closed_round, admin_a, org_a, teams
):
    before = _everything(org_a, closed_round, admin_a)
    services.survey_settings_update(organization=org_a, anonymity_threshold=8)
    assert _everything(org_a, Round.objects.get(pk=closed_round.pk), admin_a) == before


# --- fixed questions and audience -------------------------------------------------------


def test_a_question_cannot_be_added_or_removed_while_a_round_is_open(org_a, people, admin_a):
    survey = make_survey(org_a)
    round = open_round(survey)
    asked = list(survey.questions.values_list("pk", flat=True))
    with org_context(org_a):
        with pytest.raises(ValidationError, match="while a round is open"):
            services.question_add(
                organization=org_a, survey=survey, kind="agree5", text_en="Who answered late?"
            )
        with pytest.raises(ValidationError, match="while a round is open"):
            services.question_add_from_bank(organization=org_a, survey=survey, key="mgr_support")
        with pytest.raises(ValidationError, match="while a round is open"):
            services.question_remove(organization=org_a, question=survey.questions.first())
    assert list(survey.questions.values_list("pk", flat=True)) == asked
    for member in people["engineering"]:
        answer(round, member)
    close(round)
    # Once closed, the next round may ask something else; a question it asked stays.
    with org_context(org_a):
        added = services.question_add(
            organization=org_a, survey=survey, kind="agree5", text_en="A new question"
        )
        with pytest.raises(ValidationError, match="asked in a closed round"):
            services.question_remove(organization=org_a, question=survey.questions.first())
    results = selectors.round_results(
        organization=org_a, round=Round.objects.get(pk=round.pk), viewer=admin_a
    )
    assert added.pk not in [r.question.pk for r in results.questions]
    assert sorted(r.question.pk for r in results.questions) == sorted(asked)


def test_the_pages_and_api_refuse_a_question_added_mid_round(web, api, org_a, admin_a):
    survey = make_survey(org_a)
    open_round(survey)
    count = Question.objects.filter(survey=survey).count()
    page = web.as_member(admin_a).post(
        reverse("surveys:question_add", kwargs={"org_slug": org_a.slug, "pk": survey.pk}),
        {"source": "custom", "kind": "agree5", "text_en": "Late question?"},
        follow=True,
    )
    assert "while a round is open" in page.content.decode()
    response = api.as_member(admin_a).post(
        f"/api/v1/orgs/{org_a.slug}/surveys/questions/",
        {"survey": survey.pk, "kind": "agree5", "text_en": "Late question?"},
        format="json",
    )
    assert response.status_code == 400
    assert "while a round is open" in str(response.json())
    assert Question.objects.filter(survey=survey).count() == count


def test_the_audience_is_fixed_while_a_round_runs_and_frozen_for_closed_rounds(
    api, org_a, admin_a, people, teams
):
    survey = make_survey(org_a, audience_teams=[teams["engineering"]])
    round = open_round(survey)
    response = api.as_member(admin_a).patch(
        f"/api/v1/orgs/{org_a.slug}/surveys/surveys/{survey.pk}/",
        {"audience": [teams["marketing"].pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "audience cannot change while a round is open" in str(response.json())
    with org_context(org_a), pytest.raises(ValidationError):
        services.survey_audience_update(
            organization=org_a, survey=survey, teams=[teams["marketing"]]
        )
    assert list(SurveyAudienceTeam.objects.values_list("team_id", flat=True)) == [
        teams["engineering"].pk
    ]
    for member in people["engineering"]:
        answer(round, member)
    round = close(round)
    assert round.audience_team_ids == [teams["engineering"].pk]
    with org_context(org_a):
        services.survey_audience_update(
            organization=org_a, survey=survey, teams=[teams["marketing"]]
        )
    assert Round.objects.get(pk=round.pk).audience_team_ids == [teams["engineering"].pk]


# --- every figure thresholded ---------------------------------------------------------------


def test_a_comment_question_few_answered_is_hidden_everywhere(web, org_a, people, admin_a, teams):
    """Everyone in Engineering (7) answers, but only two write a comment: Engineering's
    comments (2 < 5) are hidden on the page, in the API and the CSV. Sales East's five
    comments are hidden too, because everyone's seven minus East's five would read
    Engineering's two; everyone's seven stay, anonymous among twelve respondents."""
    round = open_round(make_survey(org_a))
    for index, member in enumerate(people["engineering"]):
        answer(round, member, comment="rare remark" if index < 2 else "")
    for member in people["east"]:
        answer(round, member, comment="east remark")
    round = close(round)
    text_q = round.survey.questions.get(kind="text")

    def comments_of(group):
        results = selectors.round_results(
            organization=org_a, round=round, viewer=admin_a, group=group
        )
        return next(r for r in results.questions if r.question.pk == text_q.pk)

    for group in (teams["engineering"].pk, teams["east"].pk):
        hidden = comments_of(group)
        assert hidden.hidden and hidden.comments == [] and hidden.headline() is None
    assert sorted(comments_of(ALL).comments) == ["east remark"] * 5 + ["rare remark"] * 2
    rows = selectors.results_export_rows(organization=org_a, round=round, viewer=admin_a)
    for row in rows:
        if row[0] in ("Engineering", "Sales East") and row[2] == text_q.text_for(org_a):
            assert row[1] == "hidden" and not any("remark" in str(cell) for cell in row)
    client = web.as_member(admin_a)
    page = client.get(
        reverse("surveys:results", kwargs={"org_slug": org_a.slug, "pk": round.pk}),
        {"group": teams["engineering"].pk},
    ).content.decode()
    assert "rare remark" not in page and 'data-testid="question-hidden"' in page
    exported = client.get(
        reverse("surveys:export", kwargs={"org_slug": org_a.slug, "pk": round.pk})
    ).content.decode()
    for row in csv.reader(io.StringIO(exported)):
        if row[0] in ("Engineering", "Sales East") and row[2] == text_q.text_for(org_a):
            assert row[1] == "hidden" and "remark" not in ",".join(row)
    api = client.get(
        f"/api/v1/orgs/{org_a.slug}/surveys/rounds/{round.pk}/results/",
        {"group": teams["engineering"].pk},
    )
    assert "rare remark" not in api.content.decode()


def test_another_organizations_team_reads_as_missing_in_an_audience(org_a, org_b, admin_a):
    survey = make_survey(org_a)
    foreign = make_team(org_b, "Theirs")
    with org_context(org_a), pytest.raises(Http404):
        services.survey_audience_update(organization=org_a, survey=survey, teams=[foreign])
    assert not SurveyAudienceTeam.objects.filter(survey=survey).exists()


def test_threshold_changes_and_refused_changes_are_on_the_audit_trail(org_a, admin_a, people):
    services.survey_settings_update(organization=org_a, anonymity_threshold=7, actor=admin_a)
    survey = make_survey(org_a)
    open_round(survey)
    with org_context(org_a), pytest.raises(ValidationError):
        services.question_add(
            organization=org_a, survey=survey, kind="agree5", text_en="Late?", actor=admin_a
        )
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "details"))
    assert entries[0] == (
        "survey.threshold_changed",
        {"from": None, "to": 7, "applies_to": "open and future rounds"},
    )
    assert entries[-1] == (
        "survey.change_refused",
        {"change": "question_add", "reason": "round_open"},
    )
    assert not Question.objects.filter(text_en="Late?").exists()
