"""The employee's side in the browser-like client: inbox, prompt, answering, refusals."""

import pytest
from django.urls import reverse

from surveys.models import Participation, Response

from .factories import close, make_survey, make_team, open_round

pytestmark = pytest.mark.django_db


def url(org, name, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"org_slug": org.slug, **kwargs})


def form_data(round, agree="4", enps="9"):
    data = {}
    for question in round.survey.questions.all():
        if question.kind == "text":
            data[f"q{question.pk}"] = "Good people"
        elif question.measure == "enps":
            data[f"q{question.pk}"] = enps
        else:
            data[f"q{question.pk}"] = agree
    return data


def test_employee_sees_open_rounds_and_the_prompt(
    web, org_a, employee_a, django_assert_max_num_queries
):
    round = open_round(make_survey(org_a, title="Spring pulse"))
    client = web.as_member(employee_a)
    with django_assert_max_num_queries(15):
        inbox = client.get(url(org_a, "inbox"))
    assert "Spring pulse" in inbox.content.decode()
    prompt = client.get(url(org_a, "prompt"), HTTP_HX_REQUEST="true")
    assert 'data-testid="survey-prompt"' in prompt.content.decode()
    client.post(url(org_a, "answer", pk=round.pk), form_data(round))
    assert 'data-testid="survey-prompt"' not in client.get(url(org_a, "prompt")).content.decode()


def test_the_answer_page_says_what_is_anonymous_before_answering(web, org_a, employee_a):
    employee_a.team = make_team(org_a, "Support")
    employee_a.save()
    round = open_round(make_survey(org_a))
    page = web.as_member(employee_a).get(url(org_a, "answer", pk=round.pk)).content.decode()
    assert 'data-testid="anonymity-notice"' in page
    assert "without your name" in page and "Support" in page and "at least 5 people" in page
    assert "Acme Test as a place to work?" in page


def test_answering_in_the_page_and_a_second_post_is_refused(web, org_a, employee_a):
    round = open_round(make_survey(org_a))
    client = web.as_member(employee_a)
    first = client.post(url(org_a, "answer", pk=round.pk), form_data(round), follow=True)
    assert "recorded anonymously" in first.content.decode()
    second = client.post(url(org_a, "answer", pk=round.pk), form_data(round), follow=True)
    assert "already answered" in second.content.decode()
    close(round)
    assert Response.objects.count() == 1 and Participation.objects.count() == 1


def test_an_out_of_range_value_in_the_page_shows_the_form_again(web, org_a, employee_a):
    round = open_round(make_survey(org_a))
    response = web.as_member(employee_a).post(
        url(org_a, "answer", pk=round.pk), form_data(round, enps="12")
    )
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_closed_round_cannot_be_answered_in_the_page(web, org_a, employee_a):
    round = close(open_round(make_survey(org_a)))
    response = web.as_member(employee_a).post(
        url(org_a, "answer", pk=round.pk), form_data(round), follow=True
    )
    assert "closed" in response.content.decode()
    assert not Response.objects.exists()


def test_another_organizations_round_is_a_404_in_the_page(web, org_a, employee_a, org_b):
    theirs = open_round(make_survey(org_b))
    client = web.as_member(employee_a)
    assert client.get(url(org_a, "answer", pk=theirs.pk)).status_code == 404
    assert client.post(url(org_a, "answer", pk=theirs.pk), form_data(theirs)).status_code == 404
    assert (
        client.get(url(org_a, "results", pk=theirs.pk)).status_code == 403
    )  # employees: no results at all
    assert not Response.objects.exists()


def test_admin_creates_a_survey_in_the_page_and_opens_a_round(
    web, org_a, admin_a, employee_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = web.as_member(admin_a)
    created = client.post(
        url(org_a, "survey_create"),
        {
            "template": "program",
            "title": "Program feedback",
            "recurrence": "monthly",
            "window_days": "5",
            "starts_on": "2026-01-05",
        },
    )
    assert created.status_code == 302
    survey_page = client.get(created.url).content.decode()
    assert "I feel supported as an advocate for Acme Test." in survey_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(created.url + "open/")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [admin_a.user.email, employee_a.user.email]
    )
    assert mailoutbox[0].alternatives and "/surveys/rounds/" in mailoutbox[0].body


def test_admin_sets_the_threshold_but_not_below_three(web, org_a, admin_a):
    client = web.as_member(admin_a)
    assert client.post(url(org_a, "settings"), {"anonymity_threshold": "2"}).status_code == 400
    assert client.post(url(org_a, "settings"), {"anonymity_threshold": "4"}).status_code == 302
    assert "Anonymity threshold: 4" in client.get(url(org_a, "manage")).content.decode()


def test_employees_cannot_manage_surveys(web, org_a, employee_a):
    client = web.as_member(employee_a)
    assert client.get(url(org_a, "manage")).status_code == 403
    assert client.get(url(org_a, "survey_create")).status_code == 403
