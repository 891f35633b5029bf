"""The digests API (/api/v1/orgs/<org>/digests/...): the organization's default for
admins, each member's own choice, the log of what was sent, and the two-organization case."""

from __future__ import annotations

import pytest

from campaigns.digests import services
from campaigns.digests.models import Digest, DigestPolicy, DigestPreference

from .factories import ContentFactory

pytestmark = pytest.mark.django_db


def _url(org, rest):
    return f"/api/v1/orgs/{org.slug}/digests/{rest}"


def test_admins_set_the_default_and_employees_cannot(api, org_a, admin_a, employee_a):
    client = api.as_member(admin_a)
    assert client.get(_url(org_a, "settings/")).json() == {"default_frequency": "weekly"}
    answer = client.put(_url(org_a, "settings/"), {"default_frequency": "daily"})
    assert answer.status_code == 200 and answer.json() == {"default_frequency": "daily"}
    bad = client.put(_url(org_a, "settings/"), {"default_frequency": "hourly"})
    assert bad.status_code == 400 and "default_frequency" in bad.json()["errors"]
    assert DigestPolicy.objects.get(organization=org_a).default_frequency == "daily"

    employee = api.as_member(employee_a)
    assert employee.put(_url(org_a, "settings/"), {"default_frequency": "never"}).status_code == 403
    assert DigestPolicy.objects.get(organization=org_a).default_frequency == "daily"


def test_a_member_chooses_for_themselves(api, org_a, employee_a):
    client = api.as_member(employee_a)
    assert client.get(_url(org_a, "preference/")).json() == {
        "frequency": "",
        "effective_frequency": "weekly",
    }
    answer = client.put(_url(org_a, "preference/"), {"frequency": "never"})
    assert answer.json() == {"frequency": "never", "effective_frequency": "never"}
    back = client.put(_url(org_a, "preference/"), {"frequency": ""})
    assert back.json() == {"frequency": "", "effective_frequency": "weekly"}
    assert client.put(_url(org_a, "preference/"), {"frequency": 7}).status_code == 400
    assert DigestPreference.objects.get(membership=employee_a).frequency == ""


def test_the_log_is_for_admins_and_stays_in_its_organization(
    api, settings, org_a, org_b, admin_a, admin_b, employee_a, member_factory
):
    settings.DIGEST_SEND_HOUR = settings.DIGEST_WEEKDAY = 0
    member_b = member_factory(org_b)
    ContentFactory(organization=org_a, title="News A")
    ContentFactory(organization=org_b, title="News B")
    services.digest_send_due(organization=org_a)
    services.digest_send_due(organization=org_b)
    theirs = Digest.objects.get(membership=member_b)

    rows = api.as_member(admin_a).get(_url(org_a, "sent/")).json()["results"]
    assert {row["email"] for row in rows} >= {employee_a.user.email}
    assert all(row["items"][0]["title"] == "News A" for row in rows)
    assert api.as_member(admin_a).get(_url(org_a, f"sent/{theirs.pk}/")).status_code == 404
    assert api.as_member(employee_a).get(_url(org_a, "sent/")).status_code == 403
    # Org A's admin acting on org B's routes: 404, nothing changed.
    client = api.as_member(admin_a)
    assert client.put(_url(org_b, "settings/"), {"default_frequency": "never"}).status_code == 404
    assert not DigestPolicy.objects.filter(organization=org_b).exists()
    assert client.get(_url(org_b, "sent/")).status_code == 404
    assert Digest.objects.get(pk=theirs.pk).membership_id == member_b.pk
    assert admin_b  # org B has its own admin, untouched
