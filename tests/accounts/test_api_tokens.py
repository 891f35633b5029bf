import pytest
from django.core.management import call_command

from advocacy.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_command_prints_a_working_token_once_and_stores_only_its_hash(api, employee_a, capsys):
    call_command("create_api_token", employee_a.user.email, employee_a.organization.slug)
    raw = capsys.readouterr().out.strip()
    stored = ApiToken.objects.get(user=employee_a.user)
    assert raw not in (stored.key_hash, stored.prefix) and stored.key_hash != raw
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.get(f"/api/v1/orgs/{employee_a.organization.slug}/")
    assert response.status_code == 200
    assert response.json()["slug"] == employee_a.organization.slug


def test_revoked_or_garbage_tokens_are_refused(api, employee_a):
    client = api.as_member(employee_a)
    url = f"/api/v1/orgs/{employee_a.organization.slug}/"
    assert client.get(url).status_code == 200
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get(url).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get(url).status_code == 401


def test_command_refuses_non_members(employee_a, org_b):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a member"):
        call_command("create_api_token", employee_a.user.email, org_b.slug)
    assert not ApiToken.objects.exists()


def test_api_docs_and_schema_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs
