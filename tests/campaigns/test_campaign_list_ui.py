"""The campaign list as an admin reads it after `make run`'s demo (issue 17: every ended
campaign said "0 items", though people had shared its posts)."""

import re

import pytest
from django.core.management import call_command

from advocacy.tenancy.models import Membership, Organization

pytestmark = pytest.mark.django_db


def test_ended_demo_campaigns_list_the_content_they_had(web):
    call_command("seed_demo", verbosity=0)
    org = Organization.objects.get(slug="acme")
    admin = Membership.objects.get(organization=org, user__email="admin@acme.example")
    page = web.as_member(admin).get(f"/o/{org.slug}/campaigns/?status=ended").content.decode()
    rows = re.findall(r'data-testid="campaign-row".*?</a>', page, re.S)
    assert len(rows) >= 3
    for row in rows:
        assert "0 items" not in row and "No content chosen yet" not in row, row
        assert re.search(r"\b[1-9]\d* items?\b", row), row
