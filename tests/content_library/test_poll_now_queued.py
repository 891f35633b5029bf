"""'Poll now' on the feed sources page queues the fetch (issue 15, item 1): the page
answers at once, and the feed is fetched by a task, never inside the web request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advocacy import outbound
from advocacy.tenancy.models import Role
from content_library.models import FeedSource
from tests.isolation.actors import fast_password_hashing, test_body_acts_as_system  # noqa: F401
from tests.social.factories import no_fetch_in_requests  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_fetch_in_requests")]


def test_poll_now_queues_the_fetch(
    web, org_a, member_factory, monkeypatch, django_capture_on_commit_callbacks
):
    curator = member_factory(org_a, Role.ADMIN)
    source = FeedSource.objects.create(
        organization=org_a, name="Blog", url="https://blog.example.org/feed.xml"
    )
    url = reverse("content_library:source_poll", kwargs={"org_slug": org_a.slug, "pk": source.pk})
    client = web.as_member(curator)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url)
    assert response.status_code == 302
    assert len(queued) == 1
    source.refresh_from_db()
    assert source.last_polled_at is None  # nothing fetched while the page was served

    # The task fetches through the outbound gate (here the name points inside: refused).
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["10.0.0.7"])
    queued[0]()
    source.refresh_from_db()
    assert source.last_polled_at is not None
    assert "not public" in source.last_error
    page = client.get(response["Location"]).content.decode()
    assert "The feed is being checked" in page
    assert 'data-testid="source-error"' in page
