"""A rate reads one way on every page that shows one (issue 19, item 5).

Each page below is given data whose rate is fractional: one of eight people, or on the
survey pages (where no answer count under the anonymity threshold is ever shown) three
of twenty-four. Read off the screen, the figure is "12.5%" in English and "12,5%" in
Bahasa Indonesia on all of them; the survey CSV carries "12.5%" in both languages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.models import Role
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from content_library import services as library
from surveys import services as surveys
from surveys.models import QuestionKind
from tests.analytics.factories import ShareFactory
from tests.surveys.factories import answer, close, make_people, make_survey, open_round

pytestmark = pytest.mark.django_db

LANGUAGES = [("en", "12.5%"), ("id", "12,5%")]


def _text(html: str) -> str:
    """What a reader sees: tags out, runs of white space as one."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _read(web, member, language: str, path: str, **params) -> str:
    member.user.preferred_language = language
    member.user.save(update_fields=["preferred_language"])
    response = web.as_member(member).get(path, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    return response.content.decode()


def _section(html: str, marker: str, end: str) -> str:
    start = html.index(marker)
    return html[start : html.index(end, start)]


@pytest.fixture
def eight(org_a, admin_a, employee_a, member_factory):
    """Eight active members (the admin among them); the employee is the one who acts."""
    for _ in range(6):
        member_factory(org_a, Role.EMPLOYEE)
    return admin_a, employee_a


@pytest.fixture
def one_of_eight_shared(eight):
    """One of the eight shared today; yesterday's rollups count them as active."""
    admin, employee = eight
    share = ShareFactory(
        organization=admin.organization, membership=employee, published_at=timezone.now()
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    rollups_add([Fact(share.pk, yesterday, {"shares": 1, "clicks": 3})])
    return admin


@pytest.mark.parametrize(("language", "rate"), LANGUAGES)
def test_admin_home_participation(web, one_of_eight_shared, language, rate):
    admin = one_of_eight_shared
    html = _read(web, admin, language, f"/o/{admin.organization.slug}/", home="1")
    figure = _section(html, 'data-figure="participation_week"', "</a>")
    assert re.search(r'data-testid="figure-value">([^<]*)<', figure).group(1) == rate


@pytest.mark.parametrize(("language", "rate"), LANGUAGES)
def test_analytics_overview_participation(web, one_of_eight_shared, language, rate):
    admin = one_of_eight_shared
    html = _read(web, admin, language, f"/o/{admin.organization.slug}/analytics/")
    label = "Participation rate" if language == "en" else "Tingkat partisipasi"
    assert re.search(label + r"</div>\s*<div[^>]*>" + re.escape(rate) + "</div>", html)


@pytest.mark.parametrize(("language", "rate"), LANGUAGES)
def test_benchmarks_participation(web, one_of_eight_shared, language, rate):
    admin = one_of_eight_shared
    html = _read(web, admin, language, f"/o/{admin.organization.slug}/analytics/benchmarks/")
    for table in ("period", "compare"):
        section = _text(_section(html, f'data-table="{table}"', "</section>"))
        assert re.search(r"(Participation rate|Tingkat partisipasi) " + re.escape(rate), section), (
            table,
            section,
        )


@pytest.mark.parametrize(("language", "rate"), LANGUAGES)
def test_course_management_completion(web, eight, language, rate):
    admin, employee = eight
    org = admin.organization
    course = library.course_save(organization=org, title="Sharing 101", is_published=True)
    lesson = library.lesson_save(organization=org, course=course, title="Why", body="<p>So</p>")
    library.lesson_complete(organization=org, membership=employee, lesson=lesson)
    html = _read(
        web, admin, language, reverse("content_library:course_manage", args=[org.slug, course.pk])
    )
    table = _text(_section(html, 'data-testid="completion-by-team"', "</table>"))
    assert f"1 / 8 {rate}" in table, table


@pytest.fixture
def three_of_twenty_four(org_a, admin_a, django_capture_on_commit_callbacks):
    """24 people answer an engagement pulse and a program feedback round: three agree
    (4), 21 disagree (2). With a threshold of 3 every answer count may be shown."""
    surveys.survey_settings_update(organization=org_a, anonymity_threshold=3)
    people = make_people(org_a, None, 24)
    rounds = []
    for template in ("engagement", "program"):
        with django_capture_on_commit_callbacks(execute=True):
            round = open_round(make_survey(org_a, template=template))
        for index, member in enumerate(people):
            answer(round, member, {QuestionKind.AGREE5: 4 if index < 3 else 2}, comment="")
        rounds.append(close(round))
    return admin_a, rounds[0]


@pytest.mark.parametrize(("language", "rate"), LANGUAGES)
def test_survey_results_heat_map_and_csv(web, three_of_twenty_four, language, rate):
    admin, round = three_of_twenty_four
    kwargs = {"org_slug": admin.organization.slug, "pk": round.pk}
    html = _read(web, admin, language, reverse("surveys:results", kwargs=kwargs))
    favorable = "favorable" if language == "en" else "positif"
    assert f"{rate} {favorable}" in _text(html)
    heatmap = _section(html, 'data-testid="heatmap"', "</table>")
    assert re.search(r'<td class="text-center heat-low">' + re.escape(rate) + "</td>", heatmap)

    exported = _read(web, admin, language, reverse("surveys:export", kwargs=kwargs))
    rows = list(csv.reader(io.StringIO(exported)))
    column = rows[0].index("Favorable %" if language == "en" else "% positif")
    figures = {row[column] for row in rows[1:] if row[column]}
    assert figures == {"12.5%"}, "the CSV's convention: a dot, whatever the language"


def test_the_results_api_keeps_the_figure_a_number(api, three_of_twenty_four):
    """The API is read by programs: % favorable stays a number (in percent, as shown)."""
    admin, round = three_of_twenty_four
    path = f"/api/v1/orgs/{admin.organization.slug}/surveys/rounds/{round.pk}/results/"
    body = api.as_member(admin).get(path).json()
    favorable = {q["favorable"] for q in body["questions"] if q["kind"] == "agree5"}
    assert favorable == {12.5}


@pytest.mark.parametrize(("language", "rate"), LANGUAGES)
def test_program_feedback(web, three_of_twenty_four, language, rate):
    admin, _round = three_of_twenty_four
    html = _read(web, admin, language, reverse("surveys:manage", args=[admin.organization.slug]))
    feedback = _text(_section(html, 'data-testid="program-feedback"', "</ul>"))
    supported = "feel supported" if language == "en" else "merasa didukung"
    assert f"{rate} {supported}" in feedback, feedback
    assert feedback.count(rate) >= 3, feedback  # supported, empowered and each question
