"""Bad input through the real API: odd characters, duplicates and
missing optional fields. Each is answered 400 with a message naming the field, never a 500, and nothing is created."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

# The main create endpoint of every app: (path, a valid body with only required fields,
# the text field the bad values go into, the model's manager path for counting).
CREATES = {
    "team": ("teams/", {"name": "Sales"}, "name"),
    "campaign": ("campaigns/campaigns/", {"name": "Spring launch"}, "name"),
    "topic": ("library/topics/", {"name": "Product"}, "name"),
    "guidelines": ("guidelines/versions/", {"title": "Rules", "body": "Be kind."}, "title"),
    "course": ("training/courses/", {"title": "Basics"}, "title"),
    "badge": ("recognition/badges/", {"name": "Sharer", "metric": "shares"}, "name"),
    "reward": ("recognition/rewards/", {"name": "Mug", "cost_points": 10}, "name"),
    "survey": ("surveys/surveys/", {"title": "Pulse"}, "title"),
}
ODD_TEXT = {
    "nul": "Sa\x00les",
    "lone surrogate": "Sa\ud800les",
    "very long": "x" * 20_000,
    "only spaces": "   ",
}


def _url(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


def _post_json(client, url, body):
    # json.dumps escapes a lone surrogate as \ud800, which is valid JSON text.
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    return body["count"] if isinstance(body, dict) and "count" in body else len(body)


def _field_errors(response) -> dict:
    body = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert body["status"] == response.status_code and body["title"]
    return body["errors"]


@pytest.fixture
def admin_api(api, admin_a):
    return api.as_member(admin_a)


@pytest.mark.parametrize("kind", ODD_TEXT)
@pytest.mark.parametrize("endpoint", CREATES)
def test_odd_text_is_a_field_error_and_creates_nothing(admin_api, org_a, endpoint, kind):
    path, body, field = CREATES[endpoint]
    url = _url(org_a, path)
    before = _list_count(admin_api, url)
    response = _post_json(admin_api, url, {**body, field: ODD_TEXT[kind]})
    assert response.status_code == 400, response.content[:300]
    assert field in _field_errors(response)
    assert _list_count(admin_api, url) == before


@pytest.mark.parametrize("endpoint", CREATES)
def test_right_to_left_marks_are_kept_as_text(admin_api, org_a, endpoint):
    path, body, field = CREATES[endpoint]
    value = "\u202eselaS \u200fمبيعات"
    response = _post_json(admin_api, _url(org_a, path), {**body, field: value})
    assert response.status_code == 201, response.content[:300]
    assert response.json()[field] == value


@pytest.mark.parametrize("endpoint", CREATES)
def test_only_the_required_fields_is_enough(admin_api, org_a, endpoint):
    path, body, _field = CREATES[endpoint]
    response = _post_json(admin_api, _url(org_a, path), body)
    assert response.status_code == 201, response.content[:300]


@pytest.mark.parametrize(
    "endpoint, body, field",
    [
        ("badge", {"name": "Sharer", "metric": "shares"}, "name"),
        ("campaign", {"name": "Spring launch", "slug": "spring"}, "slug"),
    ],
)
def test_a_duplicate_unique_value_is_a_field_error(admin_api, org_a, endpoint, body, field):
    url = _url(org_a, CREATES[endpoint][0])
    assert _post_json(admin_api, url, body).status_code == 201
    before = _list_count(admin_api, url)
    again = {**body, "name": body["name"] + " again"} if field != "name" else body
    response = _post_json(admin_api, url, again)
    assert response.status_code == 400, response.content[:300]
    assert field in _field_errors(response)
    assert _list_count(admin_api, url) == before


LIST_QUERIES = [
    "campaigns/campaigns/?status={v}",
    "library/items/?search={v}",
    "library/items/?topic={v}",
    "members/?search={v}",
    "recognition/ledger/?membership={v}",
    "surveys/surveys/?page={v}",
]


@pytest.mark.parametrize("value", ["%00", "a%00b", "%ED%A0%80", "%E2%80%AE", "9" * 400])
@pytest.mark.parametrize("query", LIST_QUERIES)
def test_odd_query_parameters_are_never_a_server_error(admin_api, org_a, query, value):
    response = admin_api.get(_url(org_a, query.format(v=value)))
    assert response.status_code in (200, 400, 404), response.content[:300]
    if response.status_code == 400:
        assert response.json()["status"] == 400
