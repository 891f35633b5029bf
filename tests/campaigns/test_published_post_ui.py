"""A published post carries one link, the tracked one (issue 17: the caption's raw address
went out next to the tracked link, so the clicks on it were never counted)."""

import html
import re

import pytest
from django.urls import reverse

from campaigns import services
from tests.social.factories import connect

from .factories import CaptionFactory, ContentFactory

pytestmark = pytest.mark.django_db

RAW = "https://news.example.com/solar-plant"


def _composer_text(client, org, content) -> str:
    page = client.get(
        reverse("campaigns:compose", kwargs={"org_slug": org.slug, "content_id": content.pk})
    ).content.decode()
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(textarea.group(1)).strip()


def test_a_caption_with_the_items_address_goes_out_with_the_tracked_link_only(
    web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    content = ContentFactory(organization=org, title="Our plant runs on solar", url=RAW)
    CaptionFactory(
        organization=org,
        content=content,
        text=f"Our Ohio plant now runs on 100% solar ☀️ {RAW} #sustainability",
    )
    client = web.as_member(employee_a)
    linkedin = connect(client, employee_a, "linkedin", handle="emma.evans")

    text = _composer_text(client, org, content)
    assert RAW not in text
    assert text == "Our Ohio plant now runs on 100% solar ☀️ #sustainability"

    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_compose(
            organization=org,
            membership=employee_a,
            content=content,
            text=text,
            connections=[linkedin],
        )[0]
    share.refresh_from_db()
    (post,) = social_sandbox.control.posts("linkedin")
    sent = str(post)
    assert f"/r/{share.links.get().code}" in sent
    assert RAW not in sent, sent
