"""A post carries the language of the content it shares: a Bahasa Indonesia item
goes out tagged `id` (Bluesky's record `langs`, Mastodon's status `language`),
so readers' language filters and screen readers treat it right."""

# ruff: noqa: F811  (the social_sandbox fixture is imported from .factories, then requested by name)
from __future__ import annotations

import pytest

from campaigns import services as campaigns
from campaigns.models import Share
from tests.campaigns.factories import ContentFactory

from .factories import connect, social_sandbox, start_connect  # noqa: F401

pytestmark = pytest.mark.django_db


def _share(employee, connection, content, django_capture_on_commit_callbacks) -> Share:
    with django_capture_on_commit_callbacks(execute=True):
        share = campaigns.share_compose(
            organization=employee.organization,
            membership=employee,
            content=content,
            text="Kami membuka pabrik baru di Surabaya",
            connections=[connection],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED, share.error
    return share


def _bluesky(web, employee):
    start_connect(
        web.as_member(employee),
        employee,
        "bluesky",
        handle="emma.bsky.social",
        app_password="abcd-efgh-ijkl-mnop",
    )
    return employee.connections.get(network="bluesky")


def _mastodon(web, employee, sandbox):
    return connect(
        web.as_member(employee), employee, "mastodon", instance_url=sandbox.url("mastodon")
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_bluesky_post_is_tagged_with_the_content_language(
    language, web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    connection = _bluesky(web, employee_a)
    content = ContentFactory(organization=employee_a.organization, language=language)
    _share(employee_a, connection, content, django_capture_on_commit_callbacks)
    [post] = social_sandbox.control.posts("bluesky")
    assert post["extra"]["record"]["langs"] == [language]


@pytest.mark.parametrize("language", ["id", "en"])
def test_mastodon_status_is_tagged_with_the_content_language(
    language, web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    connection = _mastodon(web, employee_a, social_sandbox)
    content = ContentFactory(organization=employee_a.organization, language=language)
    share = _share(employee_a, connection, content, django_capture_on_commit_callbacks)
    [post] = social_sandbox.control.posts("mastodon")
    assert post["extra"]["language"] == language
    assert share.publication.language == language
