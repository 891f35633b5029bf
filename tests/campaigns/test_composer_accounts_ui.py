"""The composer names each connected account by the person's name (issue 17: a LinkedIn
account connected with the self-serve scopes showed its opaque member id)."""

import pytest
from django.urls import reverse

from tests.social.factories import connect

from .factories import ContentFactory

pytestmark = pytest.mark.django_db


def test_post_on_names_the_linkedin_account_not_its_member_id(web, employee_a, social_sandbox):
    org = employee_a.organization
    client = web.as_member(employee_a)
    linkedin = connect(client, employee_a, "linkedin", handle="emma.evans")
    assert linkedin.display_name, "the sandbox's userinfo gives the member's name"
    content = ContentFactory(organization=org)
    page = client.get(
        reverse("campaigns:compose", kwargs={"org_slug": org.slug, "content_id": content.pk})
    ).content.decode()
    assert f"LinkedIn · {linkedin.display_name}" in page
    if linkedin.handle == linkedin.external_id:
        assert linkedin.external_id not in page


def test_the_connections_page_shows_the_name_and_hides_the_member_id(
    web, employee_a, social_sandbox
):
    client = web.as_member(employee_a)
    linkedin = connect(client, employee_a, "linkedin", handle="emma.evans")
    page = client.get(
        reverse("social:connections", kwargs={"org_slug": employee_a.organization.slug})
    ).content.decode()
    assert linkedin.display_name in page
    if linkedin.handle == linkedin.external_id:
        assert linkedin.external_id not in page
