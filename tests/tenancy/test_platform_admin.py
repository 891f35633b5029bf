"""Platform staff work across organizations in the admin, in the audited system context;
nobody else gets there."""

import logging

import pytest

from advocacy.tenancy.models import Team
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_see_every_organizations_rows_and_it_is_audited(client, org_a, org_b, caplog):
    Team.objects.create(organization=org_a, name="Alpha squad")
    Team.objects.create(organization=org_b, name="Beta squad")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    with caplog.at_level(logging.INFO, logger="chorus.audit"):
        page = client.get("/admin/tenancy/team/").content.decode()
    assert "Alpha squad" in page and "Beta squad" in page
    assert any(
        f"platform staff {staff.pk}: GET /admin/tenancy/team/" in r.message for r in caplog.records
    )


def test_members_who_are_not_staff_do_not_get_the_admin(web, admin_a):
    response = web.as_member(admin_a).get("/admin/tenancy/team/")
    assert response.status_code == 302 and "/admin/login/" in response.url
