"""Option counts as an attacker reads them: one dissenter in Design (6 people) picks
"strongly disagree" and 0 for eNPS; half of Engineering (10) does the same. With a
threshold of 5, Design's own count (1) is small, and Everyone (6) minus Engineering
(5) would give it back by subtraction, so neither Everyone's nor Design's option counts
may be read anywhere: page, group filters, API, CSV or heat map."""

import csv
import io

import pytest
from django.urls import reverse

from surveys import anonymity
from surveys.anonymity import ALL
from surveys.models import QuestionKind

from .factories import answer, close, make_people, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db
THRESHOLD = 5


@pytest.fixture
def dissent(org_a, django_capture_on_commit_callbacks):
    engineering, design = make_team(org_a, "Engineering"), make_team(org_a, "Design")
    survey = make_survey(org_a, template="engagement")
    with django_capture_on_commit_callbacks(execute=True):
        round = open_round(survey)
    for index, member in enumerate(make_people(org_a, engineering, 10)):
        low = index < 5
        answer(round, member, {QuestionKind.AGREE5: 1 if low else 4}, enps=0 if low else 10)
    for index, member in enumerate(make_people(org_a, design, 6)):
        low = index == 0
        answer(round, member, {QuestionKind.AGREE5: 1 if low else 4}, enps=0 if low else 10)
    return {"round": close(round), "engineering": engineering, "design": design}


def _api(api, admin, round, group=None):
    org = admin.organization
    path = f"/api/v1/orgs/{org.slug}/surveys/rounds/{round.pk}/results/"
    return api.as_member(admin).get(path, {"group": group} if group else {}).json()


def _counts_seen(api, admin, dissent) -> dict:
    """Every option count the API shows, for every group filter the attacker can pick."""
    seen = {}
    for group in (ALL, dissent["engineering"].pk, dissent["design"].pk):
        body = _api(api, admin, dissent["round"], group)
        for question in body["questions"]:
            if question["distribution"]:
                seen[(group, question["id"])] = question["distribution"]
    return seen


def test_a_small_option_count_is_never_shown_nor_recoverable_by_switching_filters(
    api, admin_a, dissent
):
    seen = _counts_seen(api, admin_a, dissent)
    engineering = dissent["engineering"].pk
    assert {group for group, _q in seen} == {engineering}  # Engineering's 5/5 is safe
    for counts in seen.values():
        assert all(c == 0 or c >= THRESHOLD for c in counts)
    # Subtraction: Everyone − Engineering per option; nothing to subtract from.
    for (group, question), counts in seen.items():
        total = seen.get((ALL, question))
        if total and group != ALL:
            assert all(t - c == 0 or t - c >= THRESHOLD for t, c in zip(total, counts))
    body = _api(api, admin_a, dissent["round"])
    enps = next(q for q in body["questions"] if q["enps"])
    assert enps["distribution_hidden"] and enps["enps"]["detractors"] is None
    # the score is arithmetic over the hidden counts: hidden too (test_headline_figures)
    assert enps["respondents"] == 16 and enps["enps"]["score"] is None


def test_the_design_filter_is_refused_or_shows_no_counts(api, admin_a, dissent):
    body = _api(api, admin_a, dissent["round"], dissent["design"].pk)
    for question in body["questions"]:
        assert question["distribution"] == []
        if question["kind"] in (QuestionKind.AGREE5, QuestionKind.SCALE10):
            assert question["distribution_hidden"]


def test_page_and_csv_show_no_more_than_the_api(web, admin_a, dissent):
    client, org, round = web.as_member(admin_a), admin_a.organization, dissent["round"]
    kwargs = {"org_slug": org.slug, "pk": round.pk}
    page = client.get(reverse("surveys:results", kwargs=kwargs)).content.decode()
    assert 'data-testid="distribution-hidden"' in page
    assert "Detractors" not in page  # Everyone's eNPS buckets would be the option counts
    assert 'class="dist-count' not in page  # no bar with a count for Everyone
    engineering = client.get(
        reverse("surveys:results", kwargs=kwargs), {"group": dissent["engineering"].pk}
    ).content.decode()
    assert 'class="dist-count' in engineering
    export = client.get(reverse("surveys:export", kwargs=kwargs)).content.decode()
    rows = list(csv.reader(io.StringIO(export)))
    header = rows[0]
    for row in rows[1:]:
        distribution = row[header.index("Distribution")]
        if row[0] != "Engineering" and distribution:
            assert distribution == "hidden", row
        if distribution != "hidden":
            for part in distribution.split():
                count = int(part.rsplit(":", 1)[1])
                assert count == 0 or count >= THRESHOLD, row


def test_the_residual_rule_hides_the_wider_group_then_settles():
    """Unit check on the rule itself: Everyone 16 = A 10 + B 6; option 0 is 6 / 5 / 1."""
    plan = anonymity.plan(parents={1: None, 2: None}, respondents={1: 10, 2: 6}, threshold=5)
    cells = {ALL: [6, 10], 1: [5, 5], 2: [1, 5]}
    assert anonymity.distributions_shown(plan, cells) == {1}
    safe = {ALL: [10, 6], 1: [5, 5], 2: [5, 1]}  # B's own 1 hides B; Everyone − A = 5, 1
    assert anonymity.distributions_shown(plan, safe) == {1}
    fine = {ALL: [11, 5], 1: [5, 5], 2: [6, 0]}  # A 5/5, B 6/0: every residual 0 or ≥ 5
    assert anonymity.distributions_shown(plan, fine) == {ALL, 1, 2}
