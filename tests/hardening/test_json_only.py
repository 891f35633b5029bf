"""The API takes JSON (issue 15): a form or multipart body where JSON is expected is a
415 problem document and changes nothing; only the endpoints that take a file accept
multipart. Field errors sit under the problem document's `errors` member (RFC 9457
extension member), so a field called `title` cannot overwrite the RFC's `title`."""

import pytest

from advocacy.tenancy.models import Role, Team
from content_library.models import ContentItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_a(org_a, member_factory):
    return member_factory(org_a, Role.CURATOR)


def _url(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.mark.parametrize("form", ["multipart", None])
def test_a_form_body_where_json_is_expected_is_a_415_and_creates_nothing(api, admin_a, form):
    client = api.as_member(admin_a)
    url = _url(admin_a.organization, "teams/")
    if form:
        response = client.post(url, {"name": "Sales"}, format=form)
    else:
        response = client.post(url, "name=Sales", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 415 and body["title"] == "Unsupported media type"
    assert "multipart" in body["detail"] or "x-www-form-urlencoded" in body["detail"]
    assert not Team.objects.filter(name="Sales").exists()


def test_json_still_creates(api, admin_a):
    response = api.as_member(admin_a).post(
        _url(admin_a.organization, "teams/"), {"name": "Sales"}
    )  # the test client's default format is JSON, as a real client's should be
    assert response.status_code == 201
    assert Team.objects.filter(name="Sales").exists()


def test_a_content_item_with_a_file_still_takes_multipart(api, curator_a):
    response = api.as_member(curator_a).post(
        _url(curator_a.organization, "library/items/"),
        {"kind": "text", "title": "With a form"},
        format="multipart",
    )
    assert response.status_code == 201, response.content[:300]
    assert ContentItem.objects.filter(title="With a form").exists()


def test_a_field_named_title_does_not_collide_with_the_problem_title(api, curator_a):
    response = api.as_member(curator_a).post(
        _url(curator_a.organization, "library/items/"),
        {"kind": "text", "title": "x" * 1000},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Bad request" and body["status"] == 400
    assert isinstance(body["detail"], str) and body["detail"]
    assert list(body["errors"]) == ["title"]
    assert body["errors"]["title"][0] == body["detail"]


def test_a_serializers_own_message_is_the_detail(api, curator_a):
    response = api.as_member(curator_a).post(
        _url(curator_a.organization, "library/items/"), {"kind": "text"}
    )
    body = response.json()
    assert response.status_code == 400 and body["title"] == "Bad request"
    # "Give the item a title or a link." is the serializer's own message for the title
    assert body["errors"]["title"] == [body["detail"]]


def test_the_schema_documents_the_errors_member(api, admin_a):
    schema = api.as_member(admin_a).get("/api/schema/?format=json").json()
    problem = schema["components"]["schemas"]["Problem"]["properties"]
    assert problem["title"] == {"type": "string"} and problem["detail"] == {"type": "string"}
    assert problem["errors"]["type"] == "object"
