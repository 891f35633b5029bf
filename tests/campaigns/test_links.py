"""Tracked links: random codes, UTM parameters, an opaque advocate id, the short URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ValidationError

from advocacy.tenancy.access import NotInOrganization
from campaigns.links import advocate_token, tracked_link_create, tracked_link_url
from campaigns.models import CampaignSettings, TrackedLink
from tests.analytics.factories import CampaignFactory, ShareFactory
from tests.isolation.actors import test_body_acts_as_system  # noqa: F401

pytestmark = pytest.mark.django_db


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_a_share_gets_a_random_base62_code_and_keeps_it(org_a):
    share = ShareFactory(organization=org_a)
    link = tracked_link_create(organization=org_a, share=share)
    assert re.fullmatch(r"[A-Za-z0-9]{11}", link.code)
    assert tracked_link_create(organization=org_a, share=share) == link
    assert TrackedLink.objects.filter(share=share).count() == 1


def test_codes_do_not_repeat_or_follow_a_pattern(org_a):
    codes = [
        tracked_link_create(organization=org_a, share=ShareFactory(organization=org_a)).code
        for _ in range(40)
    ]
    assert len(set(codes)) == 40
    assert len({code[:4] for code in codes}) > 30  # no shared prefix, no counter


def test_the_target_carries_utm_parameters_and_keeps_the_contents_own(org_a):
    campaign = CampaignFactory(organization=org_a, slug="spring-launch")
    share = ShareFactory(
        organization=org_a,
        campaign=campaign,
        channel="x",
        content__url="https://acme.example/news?id=7&utm_source=newsletter&lang=en#team",
    )
    link = tracked_link_create(organization=org_a, share=share)
    parts = urlsplit(link.target_url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https",
        "acme.example",
        "/news",
        "team",
    )
    assert _query(link.target_url) == [
        ("id", "7"),
        ("lang", "en"),
        ("utm_source", "x"),
        ("utm_medium", "employee_advocacy"),
        ("utm_campaign", "spring-launch"),
        ("utm_content", advocate_token(share.membership_id)),
    ]


def test_a_share_outside_any_campaign_is_always_on(org_a):
    share = ShareFactory(organization=org_a, channel="whatsapp")
    query = dict(_query(tracked_link_create(organization=org_a, share=share).target_url))
    assert (query["utm_source"], query["utm_campaign"]) == ("whatsapp", "always-on")


def test_the_advocate_id_is_opaque_and_stable(org_a, settings):
    share = ShareFactory(organization=org_a)
    token = advocate_token(share.membership_id)
    assert re.fullmatch(r"[0-9a-f]{16}", token)
    assert token == advocate_token(share.membership_id)
    assert token != advocate_token(share.membership_id + 1)
    settings.SECRET_KEY = "another installation's secret"
    assert advocate_token(share.membership_id) != token  # not computable without our secret


def test_the_short_url_uses_the_organizations_short_domain_when_it_has_one(org_a, settings):
    settings.SITE_URL = "https://chorus.example"
    link = tracked_link_create(organization=org_a, share=ShareFactory(organization=org_a))
    assert tracked_link_url(link) == f"https://chorus.example/r/{link.code}"
    CampaignSettings.objects.create(organization=org_a, short_domain="go.acme.example")
    assert tracked_link_url(link) == f"https://go.acme.example/r/{link.code}"


def test_content_without_a_link_cannot_be_tracked(org_a):
    share = ShareFactory(organization=org_a, content__url="")
    with pytest.raises(ValidationError):
        tracked_link_create(organization=org_a, share=share)
    assert not TrackedLink.objects.exists()


def test_a_share_of_another_organization_is_refused(org_a, org_b):
    foreign = ShareFactory(organization=org_b)
    with pytest.raises(NotInOrganization):
        tracked_link_create(organization=org_a, share=foreign)
    assert not TrackedLink.objects.exists()
