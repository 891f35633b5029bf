"""Error answers a person and an API client rely on: branded pages in their language,
problem details (RFC 9457) on the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path

from advocacy import urls as project_urls


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("broken/", _boom),
    path("api/v1/broken/", _boom),
    path("", include(project_urls.urlpatterns)),
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "We could not find that page"), ("id", "Kami tidak menemukan halaman itu")],
)
def test_an_unknown_page_is_a_branded_404_in_the_visitors_language(visitor, language, heading):
    response = visitor.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and heading in body
    assert 'name="viewport"' in body  # fits a phone


@pytest.mark.django_db
def test_an_unknown_api_route_is_a_problem_document(visitor):
    response = visitor.get("/api/v1/orgs/nobody/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404 and response.json()["title"] == "Not found"


@pytest.mark.django_db
@pytest.mark.urls("tests.faults.test_error_pages")
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Something went wrong on our side"), ("id", "Terjadi kesalahan di pihak kami")],
)
def test_a_bug_is_a_branded_500_page(visitor, language, heading):
    response = visitor.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert heading in response.content.decode()
    assert "a bug" not in response.content.decode()  # nothing internal leaks


@pytest.mark.django_db
@pytest.mark.urls("tests.faults.test_error_pages")
def test_a_bug_behind_the_api_is_a_problem_document(visitor):
    response = visitor.get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 500
    assert "Retry-After" not in response


def test_drf_errors_keep_their_members_and_become_problem_documents(
    api, org_a, org_b, admin_a, admin_b
):
    client = api.as_member(admin_a)
    # Another organization's object: the same 404 as a missing one, as a problem document.
    foreign = client.get(f"/api/v1/orgs/{org_b.slug}/members/{admin_b.pk}/")
    assert foreign.status_code == 404
    assert foreign["Content-Type"] == "application/problem+json"
    problem = foreign.json()
    assert problem["status"] == 404 and problem["title"] and problem["detail"]
    invalid = client.post(f"/api/v1/orgs/{org_a.slug}/teams/", {"name": ""}, format="json")
    assert invalid.status_code == 400
    assert invalid.json()["status"] == 400 and "name" in invalid.json()["errors"]
