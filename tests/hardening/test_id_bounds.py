"""Numbers past what the database holds are field errors, never server errors.

Schemathesis found a bulk action with an item id of 3e26 raising OverflowError in the
SQLite driver (PostgreSQL raises too, for values past bigint)."""

import pytest

from content_library.models import ContentItem

pytestmark = pytest.mark.django_db

HUGE = 305984616501286801657298944


def url(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.mark.parametrize("bad", [HUGE, -225, 0])
def test_a_bulk_action_naming_impossible_ids_is_a_400_and_changes_nothing(api, admin_a, bad):
    client = api.as_member(admin_a)
    response = client.post(
        url(admin_a.organization, "library/items/bulk/"),
        {"items": [bad], "action": "approve"},
        format="json",
    )
    assert response.status_code == 400
    assert "items" in response.json()["errors"]
    assert not ContentItem.objects.filter(status="approved").exists()


def test_a_points_adjustment_past_the_column_is_a_400(api, admin_a, employee_a):
    client = api.as_member(admin_a)
    response = client.post(
        url(admin_a.organization, "recognition/ledger/adjust/"),
        {"membership": employee_a.pk, "points": HUGE, "reason": "typo"},
        format="json",
    )
    assert response.status_code == 400
    assert "points" in response.json()["errors"]
