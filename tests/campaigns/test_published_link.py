"""What a published post carries, read back from the network (the sandbox): the link
card names the content, not the short link, and the content's own address typed in
the employee's words goes out as the tracked link instead of next to it."""

# ruff: noqa: F811  (the social_sandbox fixture is imported, then requested by name)
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from advocacy import lengths
from advocacy.tenancy.context import org_context
from campaigns import services
from campaigns.models import Share
from campaigns.services.publishing import share_publish
from social.crypto import decrypt_token
from tests.social.factories import connect, social_sandbox, start_connect  # noqa: F401

from .factories import ContentFactory

pytestmark = pytest.mark.django_db

NETWORKS = ["linkedin", "x", "facebook", "mastodon", "bluesky"]
DESTINATION = "https://news.example.com/2026/plant-opening"
# The address as people paste it: another scheme, www., a trailing slash, tracking parameters.
TYPED = [
    DESTINATION,
    "http://www.news.example.com/2026/plant-opening/",
    "https://news.example.com/2026/plant-opening?utm_source=newsletter&utm_medium=email",
]


@pytest.fixture
def connected(web, employee_a, social_sandbox):
    def _connect(network: str):
        client = web.as_member(employee_a)
        if network == "bluesky":
            start_connect(
                client,
                employee_a,
                "bluesky",
                handle="emma.bsky.social",
                app_password="abcd-efgh-ijkl-mnop",
            )
            return employee_a.connections.get(network="bluesky")
        if network == "mastodon":
            return connect(
                client, employee_a, "mastodon", instance_url=social_sandbox.url("mastodon")
            )
        return connect(client, employee_a, network)

    return _connect


def _publish(employee, connection, content, text, capture) -> Share:
    with capture(execute=True):
        share = services.share_compose(
            organization=employee.organization,
            membership=employee,
            content=content,
            text=text,
            connections=[connection],
        )[0]
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED, share.error
    return share


def _tracked(share: Share) -> str:
    return f"/r/{share.links.get().code}"


def _bluesky_post(sandbox, connection, uri: str) -> dict:
    """The post as any Bluesky client reads it (app.bsky.feed.getPosts)."""
    token = decrypt_token(connection.token_ciphertext)
    pds = token.extra.get("pds") or sandbox.url("bluesky")
    answer = requests.get(
        f"{pds.rstrip('/')}/xrpc/app.bsky.feed.getPosts",
        params={"uris": uri},
        headers={"Authorization": f"Bearer {token.access_token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    [post] = answer.json()["posts"]
    return post


# --- the link card names the content --------------------------------------------------------


def test_linkedin_article_title_is_the_contents_title(
    connected, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    content = ContentFactory(
        organization=employee_a.organization,
        title="We opened a plant in Surabaya",
        url=DESTINATION,
        preview_description="Four hundred new jobs in East Java.",
    )
    share = _publish(
        employee_a,
        connected("linkedin"),
        content,
        "So proud of our team!",
        django_capture_on_commit_callbacks,
    )
    [post] = social_sandbox.control.posts("linkedin")
    article = post["extra"]["article"]
    # The Posts API's article: source and title (required), description.
    assert article["title"] == "We opened a plant in Surabaya"
    assert article["source"].endswith(_tracked(share))
    assert article["description"] == "Four hundred new jobs in East Java."


def test_the_page_title_the_curator_kept_wins_over_the_internal_title(
    connected, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    content = ContentFactory(
        organization=employee_a.organization,
        title="Q3 plant post (internal)",
        preview_title="Acme opens its Surabaya plant",
        url=DESTINATION,
    )
    _publish(
        employee_a, connected("linkedin"), content, "Proud!", django_capture_on_commit_callbacks
    )
    [post] = social_sandbox.control.posts("linkedin")
    assert post["extra"]["article"]["title"] == "Acme opens its Surabaya plant"


def test_bluesky_external_embed_title_is_the_contents_title(
    connected, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    connection = connected("bluesky")
    content = ContentFactory(
        organization=employee_a.organization, title="We opened a plant in Surabaya", url=DESTINATION
    )
    share = _publish(
        employee_a, connection, content, "So proud of our team!", django_capture_on_commit_callbacks
    )
    post = _bluesky_post(social_sandbox, connection, share.publication.external_id)
    external = post["record"]["embed"]["external"]
    assert external["title"] == "We opened a plant in Surabaya"
    assert external["uri"].endswith(_tracked(share))


def test_untitled_content_names_the_destination_site_not_the_short_link(
    connected, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    content = ContentFactory(
        organization=employee_a.organization, title="", url="https://www.news.example.com/a"
    )
    share = _publish(
        employee_a,
        connected("linkedin"),
        content,
        "Worth a read",
        django_capture_on_commit_callbacks,
    )
    [post] = social_sandbox.control.posts("linkedin")
    assert post["extra"]["article"]["title"] == "news.example.com"
    assert _tracked(share) not in post["extra"]["article"]["title"]


# --- one link: the tracked one, where the employee typed the address -----------------------


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("typed", TYPED)
def test_the_typed_address_goes_out_as_the_tracked_link(
    network, typed, connected, web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    connection = connected(network)
    content = ContentFactory(organization=employee_a.organization, url=DESTINATION)
    text = f"Our new plant is open: {typed}. Proud of everyone who built it!"
    # What the composer shows before sending, for this network.
    preview = (
        web.as_member(employee_a)
        .post(
            reverse(
                "campaigns:compose_preview",
                kwargs={"org_slug": employee_a.organization.slug, "content_id": content.pk},
            ),
            {"text": text, "connections": [connection.pk]},
        )
        .content.decode()
    )
    share = _publish(employee_a, connection, content, text, django_capture_on_commit_callbacks)
    [post] = social_sandbox.control.posts(network)
    published = post["text"]
    tracked = _tracked(share)
    assert "news.example.com" not in published
    assert published.count(tracked) == 1
    assert published.startswith("Our new plant is open: ") and f"{tracked}. Proud" in published
    # The counter the employee saw is the length the network counts for what it received.
    counter = re.search(rf'data-testid="counter-{network}">[^<]*?(\d+)/(\d+)<', preview)
    assert counter is not None, preview
    assert int(counter.group(1)) == lengths.length(published, network)
    assert lengths.measure(published, network).ok
    # The preview shows the tracked link where the address was, not the address.
    assert "news.example.com" not in preview.split('data-testid="composer-preview"')[1]


def test_a_different_page_on_the_same_site_is_left_alone(
    connected, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    content = ContentFactory(organization=employee_a.organization, url=DESTINATION)
    text = "Background: https://news.example.com/2025/plant-plans and the opening today"
    _publish(employee_a, connected("x"), content, text, django_capture_on_commit_callbacks)
    [post] = social_sandbox.control.posts("x")
    assert "https://news.example.com/2025/plant-plans" in post["text"]


def test_a_share_scheduled_before_this_goes_out_with_one_link(
    connected, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    """A share stored with the raw address (written before the tracked link replaced
    it) is corrected when the publish task sends it."""
    connection = connected("mastodon")
    content = ContentFactory(organization=employee_a.organization, url=DESTINATION)
    share = services.share_compose(
        organization=employee_a.organization,
        membership=employee_a,
        content=content,
        text="Read it",
        connections=[connection],
    )[0]
    Share.objects.filter(pk=share.pk).update(text=f"Read it {DESTINATION}/")
    with org_context(employee_a.organization):
        share = share_publish(organization=employee_a.organization, share_id=share.pk)
    assert share.status == Share.Status.PUBLISHED, share.error
    [post] = social_sandbox.control.posts("mastodon")
    assert "news.example.com" not in post["text"]
    assert post["text"].count(_tracked(share)) == 1


# --- by hand: share-intent links, copy, the phone's share sheet -----------------------------


def _by_hand(client, employee, content, channel, text, **extra):
    return client.post(
        reverse(
            "campaigns:share_by_hand",
            kwargs={
                "org_slug": employee.organization.slug,
                "content_id": content.pk,
                "channel": channel,
            },
        ),
        {"text": text},
        **extra,
    )


@pytest.mark.parametrize("typed", TYPED)
def test_by_hand_paths_carry_the_tracked_link_in_place_of_the_address(web, employee_a, typed):
    content = ContentFactory(organization=employee_a.organization, url=DESTINATION)
    client = web.as_member(employee_a)
    text = f"Have a look {typed} and tell me what you think"

    x = urlsplit(_by_hand(client, employee_a, content, "x", text)["Location"])
    code = Share.objects.get(membership=employee_a, channel="x").links.get().code
    query = parse_qs(x.query)
    # X appends `url` to the text: the link is in the text already, so it is not sent twice.
    assert "url" not in query
    assert query["text"][0].count(f"/r/{code}") == 1 and "news.example.com" not in query["text"][0]

    for channel in ("linkedin", "whatsapp"):
        location = _by_hand(client, employee_a, content, channel, text)["Location"]
        full = parse_qs(urlsplit(location).query)["text"][0]
        code = Share.objects.get(membership=employee_a, channel=channel).links.get().code
        assert full.count(f"/r/{code}") == 1 and "news.example.com" not in full, channel

    email = urlsplit(_by_hand(client, employee_a, content, "email", text)["Location"])
    body = parse_qs(email.query)["body"][0]
    code = Share.objects.get(membership=employee_a, channel="email").links.get().code
    assert body.count(f"/r/{code}") == 1 and "news.example.com" not in body

    copied = _by_hand(
        client, employee_a, content, "copy", text, HTTP_ACCEPT="application/json"
    ).json()
    assert copied["full_text"].count(copied["url"]) == 1
    assert "news.example.com" not in copied["full_text"]
    assert copied["full_text"] == f"Have a look {copied['url']} and tell me what you think"


def test_by_hand_without_the_address_still_appends_the_tracked_link(web, employee_a):
    content = ContentFactory(organization=employee_a.organization, url=DESTINATION)
    copied = _by_hand(
        web.as_member(employee_a),
        employee_a,
        content,
        "copy",
        "Have a look",
        HTTP_ACCEPT="application/json",
    ).json()
    assert copied["full_text"] == f"Have a look\n\n{copied['url']}"
