"""Issue 19.1: when the organization requires a disclosure hashtag, every post an
employee shares through Chorus carries it, whatever they wrote.

Each network path is driven through the composer against the sandbox network, and
the text is read back from what the SANDBOX received (its control API), not from
our adapter. The by-hand paths are read from what the browser is handed: the
share-intent URL's text parameter, the copy button's JSON, the API's answer.
"""

from __future__ import annotations

import datetime
import re
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.tenancy.models import Organization
from campaigns import services
from campaigns.disclosure import carries, with_disclosure
from campaigns.models import Share
from content_library.services.rules import library_settings_update
from social.models import Connection
from tests.social.factories import connect, start_connect

from .factories import ContentFactory

pytestmark = pytest.mark.django_db

DISCLOSURE = "#iworkforacme"
NETWORKS = ["linkedin", "x", "facebook", "mastodon", "bluesky"]


def _require(org, **fields):
    library_settings_update(
        organization=org,
        disclosure=fields.pop("disclosure", DISCLOSURE),
        disclosure_required=True,
        **fields,
    )
    return Organization.objects.get(pk=org.pk)  # a fresh instance: no cached rules


def _connect(web, membership, network, social_sandbox) -> Connection:
    client = web.as_member(membership)
    if network == "bluesky":
        start_connect(
            client,
            membership,
            "bluesky",
            handle="emma.bsky.social",
            app_password="abcd-efgh-ijkl-mnop",
        )
        return Connection.objects.get(membership=membership, network="bluesky")
    extra = {"instance_url": social_sandbox.url("mastodon")} if network == "mastodon" else {}
    return connect(client, membership, network, handle="emma.evans", **extra)


def _occurrences(text: str) -> int:
    return len(re.findall(r"(?<![\w#])#iworkforacme(?!\w)", text, flags=re.IGNORECASE))


def _compose(org, membership, connections, text, capture, **kwargs):
    content = kwargs.pop("content", None) or ContentFactory(organization=org)
    with capture(execute=True):
        shares = services.share_compose(
            organization=org,
            membership=membership,
            content=content,
            text=text,
            connections=connections,
            **kwargs,
        )
    for share in shares:
        share.refresh_from_db()
    return shares


# --- every connected network: the text the sandbox received ----------------------------------


@pytest.mark.parametrize("network", NETWORKS)
def test_the_network_receives_the_disclosure_the_employee_left_out(
    web, employee_a, social_sandbox, network, django_capture_on_commit_callbacks
):
    org = _require(employee_a.organization)
    connection = _connect(web, employee_a, network, social_sandbox)
    [share] = _compose(
        org,
        employee_a,
        [connection],
        "My own words about our new plant",
        django_capture_on_commit_callbacks,
    )
    assert share.status == Share.Status.PUBLISHED, share.error
    [post] = social_sandbox.control.posts(network)
    # "Show when resolving": the text as the network received it.
    print(f"\n[{network}] the sandbox received: {post['text']!r}")
    assert post["text"].startswith("My own words about our new plant")
    assert _occurrences(post["text"]) == 1


@pytest.mark.parametrize("network", ["x", "bluesky"])
def test_a_disclosure_already_there_in_other_letters_is_not_added_twice(
    web, employee_a, social_sandbox, network, django_capture_on_commit_callbacks
):
    org = _require(employee_a.organization)
    connection = _connect(web, employee_a, network, social_sandbox)
    _compose(
        org,
        employee_a,
        [connection],
        "#IWorkForAcme. Proud of this team",
        django_capture_on_commit_callbacks,
    )
    [post] = social_sandbox.control.posts(network)
    assert post["text"].startswith("#IWorkForAcme. Proud of this team")
    assert _occurrences(post["text"]) == 1


def test_a_longer_hashtag_that_starts_like_it_is_not_the_disclosure(
    web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    org = _require(employee_a.organization)
    connection = _connect(web, employee_a, "mastodon", social_sandbox)
    _compose(
        org, employee_a, [connection], "Go #iworkforacmeteam", django_capture_on_commit_callbacks
    )
    [post] = social_sandbox.control.posts("mastodon")
    assert post["text"].startswith("Go #iworkforacmeteam #iworkforacme")


def test_only_the_networks_the_admin_named_get_it(
    web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    org = _require(employee_a.organization, disclosure_networks=["x"])
    x = _connect(web, employee_a, "x", social_sandbox)
    linkedin = _connect(web, employee_a, "linkedin", social_sandbox)
    _compose(org, employee_a, [x, linkedin], "Both networks", django_capture_on_commit_callbacks)
    assert _occurrences(social_sandbox.control.posts("x")[0]["text"]) == 1
    assert _occurrences(social_sandbox.control.posts("linkedin")[0]["text"]) == 0


def test_no_disclosure_when_the_organization_does_not_require_one(
    web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    library_settings_update(
        organization=employee_a.organization, disclosure=DISCLOSURE, disclosure_required=False
    )
    org = Organization.objects.get(pk=employee_a.organization_id)
    x = _connect(web, employee_a, "x", social_sandbox)
    _compose(org, employee_a, [x], "Nothing added", django_capture_on_commit_callbacks)
    assert social_sandbox.control.posts("x")[0]["text"].startswith("Nothing added")
    assert _occurrences(social_sandbox.control.posts("x")[0]["text"]) == 0


def test_a_share_scheduled_before_the_rule_goes_out_with_it(
    web, employee_a, social_sandbox, django_capture_on_commit_callbacks
):
    from campaigns.tasks import publish_due_shares

    org = employee_a.organization
    x = _connect(web, employee_a, "x", social_sandbox)
    [share] = _compose(
        org,
        employee_a,
        [x],
        "Scheduled earlier",
        django_capture_on_commit_callbacks,
        scheduled_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert share.text == "Scheduled earlier"
    _require(org)
    Share.objects.filter(pk=share.pk).update(scheduled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_shares() == 1
    [post] = social_sandbox.control.posts("x")
    assert _occurrences(post["text"]) == 1
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED and _occurrences(share.text) == 1


# --- length: the disclosure counts ----------------------------------------------------------------


def test_a_caption_at_xs_limit_plus_the_disclosure_is_refused_before_publishing(
    web, employee_a, social_sandbox
):
    org = _require(employee_a.organization)
    x = _connect(web, employee_a, "x", social_sandbox)
    content = ContentFactory(organization=org, url="")  # no link: the caption alone is 280
    client = web.as_member(employee_a)
    compose = reverse("campaigns:compose", kwargs={"org_slug": org.slug, "content_id": content.pk})
    at_limit = "a" * 280
    preview = client.post(
        reverse(
            "campaigns:compose_preview", kwargs={"org_slug": org.slug, "content_id": content.pk}
        ),
        {"text": at_limit, "connections": [x.pk]},
    ).content.decode()
    assert re.search(r'text-bg-danger[^"]*" data-testid="counter-x">X 294/280', preview), preview
    response = client.post(
        compose,
        {"text": at_limit, "connections": [x.pk], "when": "now", "batch": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Too long for X: 294 characters with the disclosure #iworkforacme" in page
    assert "the limit is 280" in page
    assert social_sandbox.control.posts("x") == []
    assert not Share.objects.filter(membership=employee_a).exists()
    # 266 + " #iworkforacme" (14) is exactly 280: accepted and published as such.
    with_room = "a" * 266
    [share] = services.share_compose(
        organization=org, membership=employee_a, content=content, text=with_room, connections=[x]
    )
    assert share.text == f"{with_room} {DISCLOSURE}"


def test_the_refusal_names_the_disclosure_in_indonesian(web, employee_a, social_sandbox):
    org = _require(employee_a.organization)
    x = _connect(web, employee_a, "x", social_sandbox)
    content = ContentFactory(organization=org, url="")
    response = web.as_member(employee_a).post(
        reverse("campaigns:compose", kwargs={"org_slug": org.slug, "content_id": content.pk}),
        {"text": "a" * 280, "connections": [x.pk], "when": "now", "batch": str(uuid.uuid4())},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert "#iworkforacme" in response.content.decode()
    assert "Terlalu panjang untuk X" in response.content.decode()


# --- the composer's preview says so ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "note"),
    [("en", "Your organization requires #iworkforacme on every post"), ("id", "#iworkforacme")],
)
def test_the_preview_shows_the_disclosure_and_a_note_when_the_employee_removed_it(
    web, employee_a, language, note
):
    org = _require(employee_a.organization)
    content = ContentFactory(organization=org)
    preview_url = reverse(
        "campaigns:compose_preview", kwargs={"org_slug": org.slug, "content_id": content.pk}
    )
    client = web.as_member(employee_a)
    removed = client.post(
        preview_url, {"text": "All my own words"}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert 'data-testid="disclosure-note"' in removed and note in removed
    assert "All my own words #iworkforacme" in removed  # the preview shows what goes out
    kept = client.post(
        preview_url, {"text": "All my own words #IWorkForAcme"}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert 'data-testid="disclosure-note"' not in kept


# --- by hand: share-intent links, copy, the API -----------------------------------------------------


def _by_hand(client, org, content, channel, text, **extra):
    return client.post(
        reverse(
            "campaigns:share_by_hand",
            kwargs={"org_slug": org.slug, "content_id": content.pk, "channel": channel},
        ),
        {"text": text},
        **extra,
    )


def test_share_intent_links_carry_the_disclosure(web, employee_a):
    org = _require(employee_a.organization)
    content = ContentFactory(organization=org)
    client = web.as_member(employee_a)
    texts = {}
    for channel, param in (("x", "text"), ("linkedin", "text"), ("whatsapp", "text")):
        location = _by_hand(client, org, content, channel, "Worth a read")["Location"]
        texts[channel] = parse_qs(urlsplit(location).query)[param][0]
    mail = _by_hand(client, org, content, "email", "Worth a read")["Location"]
    texts["email"] = unquote(mail.split("body=", 1)[1])
    for channel, text in texts.items():
        print(f"\n[{channel} intent] text: {text!r}")
        assert text.startswith("Worth a read #iworkforacme"), (channel, text)
        assert _occurrences(text) == 1


def test_copy_and_the_share_sheet_hand_over_the_disclosure(web, employee_a):
    org = _require(employee_a.organization, disclosure_networks=["x"])
    content = ContentFactory(organization=org)
    client = web.as_member(employee_a)
    for channel in ("copy", "web_share"):
        body = _by_hand(
            client, org, content, channel, "Copy me", HTTP_ACCEPT="application/json"
        ).json()
        print(f"\n[{channel}] full text: {body['full_text']!r}")
        # The copied text may be pasted anywhere: it carries the disclosure whatever the network list.
        assert body["text"] == "Copy me #iworkforacme"
        assert body["full_text"].startswith("Copy me #iworkforacme\n\n") and "/r/" in body["url"]


def test_the_api_shares_carry_the_disclosure(api, employee_a):
    from tests.campaigns.factories import ConnectionFactory

    org = _require(employee_a.organization)
    content = ContentFactory(organization=org)
    linkedin = ConnectionFactory(membership=employee_a, network="linkedin")
    client = api.as_member(employee_a)
    base = f"/api/v1/orgs/{org.slug}/campaigns"
    created = client.post(
        f"{base}/shares/",
        {"content": content.pk, "text": "Via the API", "connections": [linkedin.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()[0]["text"] == "Via the API #iworkforacme"
    by_hand = client.post(
        f"{base}/shares/by-hand/",
        {"content": content.pk, "channel": "x", "text": "By hand #IWORKFORACME"},
        format="json",
    ).json()
    assert by_hand["full_text"].startswith("By hand #IWORKFORACME\n\n")
    assert parse_qs(urlsplit(by_hand["intent_url"]).query)["text"] == ["By hand #IWORKFORACME"]


def test_an_employee_who_wrote_nothing_is_still_asked_for_words(web, employee_a, social_sandbox):
    org = _require(employee_a.organization)
    x = _connect(web, employee_a, "x", social_sandbox)
    response = web.as_member(employee_a).post(
        reverse(
            "campaigns:compose",
            kwargs={"org_slug": org.slug, "content_id": ContentFactory(organization=org).pk},
        ),
        {"text": "   ", "connections": [x.pk], "when": "now", "batch": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert social_sandbox.control.posts("x") == []


# --- the rule itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", "Hello #iworkforacme"),
        ("Hello  ", "Hello #iworkforacme"),
        ("", "#iworkforacme"),
        ("#IWORKFORACME hello", "#IWORKFORACME hello"),
        ("hello #iworkforacme!", "hello #iworkforacme!"),
        ("hello #iworkforacme_team", "hello #iworkforacme_team #iworkforacme"),
        ("hello x#iworkforacme", "hello x#iworkforacme #iworkforacme"),
        ("hello ##iworkforacme", "hello ##iworkforacme #iworkforacme"),
    ],
)
def test_whole_hashtag_in_any_letter_case(text, expected):
    assert with_disclosure(text, DISCLOSURE) == expected
    assert carries(expected, DISCLOSURE)
