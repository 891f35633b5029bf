"""The first share without detours (issue 17.3), seen from the employee and from
someone crafting requests: the guidelines are agreed to inside the composer, and
connecting a network from the composer comes back to it with the draft intact."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from campaigns.models import Share
from content_library.models import GuidelinesAcknowledgement, GuidelinesVersion

from .factories import ContentFactory, publish_guidelines

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"campaigns:{name}", kwargs={"org_slug": org.slug, **kwargs})


def copy(client, org, content, **data):
    return client.post(
        url("share_by_hand", org, content_id=content.pk, channel="copy"),
        {"text": "Worth a read", **data},
        HTTP_ACCEPT="application/json",
    )


def test_sharing_from_the_composer_that_showed_the_guidelines_agrees_to_them(
    web, org_a, employee_a
):
    version = publish_guidelines(org_a)
    content = ContentFactory(organization=org_a)
    client = web.as_member(employee_a)
    html = client.get(url("compose", org_a, content_id=content.pk)).content.decode()
    assert "By sharing, you confirm that you have read these guidelines" in html
    assert "Agree and share" in html or 'data-testid="no-connections"' in html

    response = copy(client, org_a, content, guidelines_version=str(version.number))
    assert response.status_code == 200 and response.json()["url"]
    assert GuidelinesAcknowledgement.objects.filter(membership=employee_a, version=version).exists()
    html = client.get(url("compose", org_a, content_id=content.pk)).content.decode()
    assert 'data-testid="guidelines-inline"' not in html  # asked once, not every time


def test_a_share_without_the_agreement_is_refused_and_records_nothing(web, org_a, employee_a):
    publish_guidelines(org_a)
    content = ContentFactory(organization=org_a)
    response = copy(web.as_member(employee_a), org_a, content)
    assert response.status_code == 400 and "guidelines" in response.json()["error"]
    assert not GuidelinesAcknowledgement.objects.filter(membership=employee_a).exists()
    assert not Share.objects.filter(membership=employee_a).exists()


def test_agreeing_to_an_older_version_does_not_acknowledge_the_new_one(web, org_a, employee_a):
    old = publish_guidelines(org_a)
    GuidelinesVersion.objects.create(
        organization=org_a,
        number=2,
        title="Guidelines, second edition",
        body="<p>Say that you work here.</p>",
        published_at=old.published_at,
    )
    content = ContentFactory(organization=org_a)
    client = web.as_member(employee_a)
    response = copy(client, org_a, content, guidelines_version="1")
    assert response.status_code == 400
    assert not GuidelinesAcknowledgement.objects.filter(membership=employee_a).exists()
    html = client.get(url("compose", org_a, content_id=content.pk)).content.decode()
    assert "Guidelines, second edition" in html and 'name="guidelines_version" value="2"' in html


def test_connecting_from_the_composer_keeps_the_draft_and_comes_back(
    web, org_a, employee_a, settings
):
    settings.SOCIAL_PROVIDERS = {}
    content = ContentFactory(organization=org_a)
    compose = url("compose", org_a, content_id=content.pk)
    client = web.as_member(employee_a)
    assert 'data-testid="connect-linkedin"' in client.get(compose).content.decode()

    mine = "My own words about this, with émoji 🎉 and عربى"
    handed = client.post(
        url("compose_connect", org_a, content_id=content.pk, network="linkedin"),
        {"text": mine, "next": compose},
    )
    # Same method and body on to the connect page (307), which goes to the consent page.
    assert handed.status_code == 307
    assert handed["Location"] == reverse(
        "social:connect", kwargs={"org_slug": org_a.slug, "network": "linkedin"}
    )
    consent = client.post(handed["Location"], {"text": mine, "next": compose})
    assert consent.status_code == 302
    state = parse_qs(urlsplit(consent["Location"]).query)["state"][0]

    # The person says no at the network: they still land back in the composer, text intact.
    back = client.get(
        reverse("social_callback", kwargs={"network": "linkedin"}),
        {"state": state, "error": "access_denied"},
    )
    assert back.status_code == 302 and back["Location"] == compose
    html = client.get(compose).content.decode()
    assert f"{mine}</textarea>" in html
    assert "nothing was connected" in html


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/o/acme-test/share/", "//evil.example/", "/o/beta-test/share/1/", ""],
)
def test_connect_returns_only_to_a_page_of_the_same_organization(
    web, org_a, employee_a, settings, next_url
):
    settings.SOCIAL_PROVIDERS = {}
    client = web.as_member(employee_a)
    consent = client.post(
        reverse("social:connect", kwargs={"org_slug": org_a.slug, "network": "linkedin"}),
        {"next": next_url},
    )
    state = parse_qs(urlsplit(consent["Location"]).query)["state"][0]
    back = client.get(
        reverse("social_callback", kwargs={"network": "linkedin"}),
        {"state": state, "error": "access_denied"},
    )
    assert back["Location"] == reverse("social:connections", kwargs={"org_slug": org_a.slug})


def test_a_draft_is_the_persons_own_and_only_for_that_item(web, org_a, employee_a, member_factory):
    content, other = ContentFactory(organization=org_a), ContentFactory(organization=org_a)
    client = web.as_member(employee_a)
    client.post(
        url("compose_connect", org_a, content_id=content.pk, network="linkedin"),
        {"text": "A private draft"},
    )
    assert (
        "A private draft"
        not in client.get(url("compose", org_a, content_id=other.pk)).content.decode()
    )
    colleague = member_factory(org_a)
    client.logout()
    html = web.as_member(colleague).get(url("compose", org_a, content_id=content.pk))
    assert "A private draft" not in html.content.decode()


def test_only_networks_with_a_consent_page_connect_from_the_composer(web, org_a, employee_a):
    content = ContentFactory(organization=org_a)
    response = web.as_member(employee_a).post(
        url("compose_connect", org_a, content_id=content.pk, network="bluesky"), {"text": "x"}
    )
    assert response.status_code == 404
