"""Apps contribute onboarding steps and page prompts through the core's registry; the
core and the shell name no app, yet admins see every app's step and members get the
survey prompt on every page."""

import re

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Role
from advocacy.tenancy.navigation import onboarding_steps
from advocacy.tenancy.services import onboarding_step_complete


def test_the_checklist_lists_each_apps_step_in_order(web, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    assert [step.key for step in onboarding_steps()] == [
        "invite_people",
        "add_content",
        "connect_network",
        "launch_campaign",
    ]
    page = web.as_member(owner).get(f"/o/{org_a.slug}/?home=1").content.decode()
    assert re.findall(r'data-step="([a-z_]+)"', page) == [
        "invite_people",
        "add_content",
        "connect_network",
        "launch_campaign",
    ]


def test_a_step_no_app_declared_is_refused_and_nothing_is_ticked(org_a):
    with pytest.raises(ValueError):
        onboarding_step_complete(organization=org_a, step="adopt_a_cat")
    org_a.refresh_from_db()
    assert org_a.onboarding == {}


def test_every_page_of_the_organization_loads_the_apps_prompts(web, employee_a):
    org = employee_a.organization
    prompt = reverse("surveys:prompt", kwargs={"org_slug": org.slug})
    page = web.as_member(employee_a).get(f"/o/{org.slug}/?home=1").content.decode()
    assert f'hx-get="{prompt}"' in page
