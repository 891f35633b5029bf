"""Conversions: the server API (organization key), the pixel and snippet, attribution,
deduplication, bad input, and the HMAC-signed hand-off to the CRM webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django.utils.html import escapejs

from advocacy import events
from advocacy.tenancy.context import system_context
from analytics.clicks.record import Click, clicks_record
from analytics.conversions.record import conversion_key_create, conversion_key_revoke
from analytics.conversions.webhooks import deliveries_due, webhook_secret
from analytics.models import Conversion, ConversionKey, OrgDaily, WebhookDelivery
from analytics.selectors import analytics_settings_get
from analytics.services import analytics_settings_update
from analytics.tasks import conversion_webhook_task

from .factories import CampaignFactory, tracked_link_for

pytestmark = pytest.mark.django_db

API = "/api/v1/conversions"


def _click(link, click_id="clk_abcdefgh01"):
    with system_context("test click"):
        clicks_record(
            [
                Click(
                    click_id=click_id,
                    organization_id=link.organization_id,
                    link_id=link.pk,
                    share_id=link.share_id,
                    membership_id=link.share.membership_id,
                    campaign_id=link.share.campaign_id,
                    clicked_at=timezone.now(),
                    visitor_hash="a" * 32,
                    user_agent="Mozilla/5.0 (iPhone)",
                )
            ]
        )
    return click_id


@pytest.fixture
def campaign_link(org_a):
    campaign = CampaignFactory(organization=org_a)
    return tracked_link_for(org_a, campaign=campaign)


@pytest.fixture
def key_a(org_a):
    return conversion_key_create(organization=org_a, actor=None, name="shop")[1]


def _post(client, key, payload, **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    headers = {"authorization": f"Bearer {key}"} if key else {}
    return client.post(API, body, content_type="application/json", headers=headers, **extra)


@pytest.fixture
def recorded_events():
    seen = []
    handler = events.subscribe(events.ConversionRecorded)(seen.append)
    yield seen
    events._handlers[events.ConversionRecorded].remove(handler)


def test_a_server_conversion_is_attributed_to_the_advocate_campaign_and_content(
    client, org_a, campaign_link, key_a, recorded_events, django_capture_on_commit_callbacks
):
    click_id = _click(campaign_link)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            key_a,
            {
                "click_id": click_id,
                "type": "sale",
                "value": "120.50",
                "currency": "usd",
                "external_id": "order-42",
            },
        )
    assert response.status_code == 201, response.content
    share = campaign_link.share
    assert response.json()["attribution"] == {
        "share": share.pk,
        "advocate": share.membership_id,
        "campaign": share.campaign_id,
        "content": share.content_id,
        "network": share.channel,
    }
    conversion = Conversion.objects.for_org(org_a).get()
    assert (conversion.kind, conversion.value, conversion.currency) == (
        "sale",
        Decimal("120.50"),
        "USD",
    )
    daily = OrgDaily.objects.for_org(org_a).get()
    assert (daily.conversions, daily.conversion_value) == (1, Decimal("120.50"))
    assert [(e.conversion_id, e.membership_id) for e in recorded_events] == [
        (conversion.pk, share.membership_id)
    ]


def test_the_same_conversion_twice_is_counted_once(client, org_a, campaign_link, key_a):
    click_id = _click(campaign_link)
    payload = {"click_id": click_id, "type": "lead", "external_id": "form-7"}
    assert _post(client, key_a, payload).status_code == 201
    again = _post(client, key_a, payload)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    # Another type from the same click is another conversion.
    assert _post(client, key_a, {**payload, "type": "sale"}).status_code == 201
    assert Conversion.objects.for_org(org_a).count() == 2
    assert OrgDaily.objects.for_org(org_a).get().conversions == 2


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"click_id": "NoSuchClick0001", "type": "lead"}, 400, "unknown_click"),
        ({"click_id": "x'; drop table--", "type": "lead"}, 400, "unknown_click"),
        ({"type": "lead"}, 400, "missing_click"),
        ({"click_id": "clk_abcdefgh01", "type": "Lead Form!"}, 400, "invalid"),
        ({"click_id": "clk_abcdefgh01", "value": "-5"}, 400, "invalid"),
        ({"click_id": "clk_abcdefgh01", "value": "lots"}, 400, "invalid"),
        ({"click_id": "clk_abcdefgh01", "currency": "dollars"}, 400, "invalid"),
        ({"click_id": "clk_abcdefgh01", "occurred_at": "2999-01-01T00:00:00Z"}, 400, "invalid"),
        ([{"click_id": "clk_abcdefgh01"}], 400, "invalid"),
    ],
)
def test_bad_conversions_get_a_clear_error_and_change_nothing(
    client, org_a, campaign_link, key_a, payload, status, code
):
    _click(campaign_link)
    response = _post(client, key_a, payload)
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["detail"]
    assert not Conversion.objects.exists()


def test_wrong_missing_and_revoked_keys_are_refused(client, org_a, campaign_link, key_a):
    click_id = _click(campaign_link)
    payload = {"click_id": click_id}
    assert _post(client, None, payload).status_code == 401
    assert _post(client, key_a[:-3] + "abc", payload).status_code == 401
    assert _post(client, "chk_nothing", payload).status_code == 401
    key = ConversionKey.objects.for_org(org_a).get()
    conversion_key_revoke(organization=org_a, key=key)
    response = _post(client, key_a, payload)
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
    assert not Conversion.objects.exists()


def test_a_click_of_another_organization_reads_like_an_unknown_one(
    client, org_a, org_b, key_a, campaign_link
):
    link_b = tracked_link_for(org_b)
    foreign = _click(link_b, "clk_theirs0001")
    unknown = _post(client, key_a, {"click_id": "clk_nobodys001"})
    response = _post(client, key_a, {"click_id": foreign})
    assert response.status_code == unknown.status_code == 400
    assert response.json() == unknown.json()
    assert not Conversion.objects.exists()


def test_huge_payloads_are_refused_before_reading_them(client, org_a, campaign_link, key_a):
    click_id = _click(campaign_link)
    body = json.dumps({"click_id": click_id, "padding": "x" * 20_000})
    response = _post(client, key_a, body)
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    assert not Conversion.objects.exists()
    assert _post(client, key_a, b"{not json").status_code == 400


def test_the_pixel_records_conversions_and_says_what_happened(client, org_a, campaign_link):
    click_id = _click(campaign_link)
    public_key = analytics_settings_get(organization=org_a).public_key
    query = {"k": public_key, "c": click_id, "t": "signup", "v": "0"}
    first = client.get("/t/p.gif", query)
    assert first.status_code == 200 and first["Content-Type"] == "image/gif"
    assert first["X-Chorus-Conversion"] == "recorded"
    assert client.get("/t/p.gif", query)["X-Chorus-Conversion"] == "duplicate"
    bad_key = client.get("/t/p.gif", {**query, "k": "nope-nope-nope"})
    assert (bad_key.status_code, bad_key["X-Chorus-Conversion"]) == (400, "unknown_key")
    forged = client.get("/t/p.gif", {**query, "c": "ForgedClick0001"})
    assert (forged.status_code, forged["X-Chorus-Conversion"]) == (400, "unknown_click")
    assert client.get("/t/p.gif", {**query, "x": "y" * 5000}).status_code == 413
    assert Conversion.objects.for_org(org_a).get().source == Conversion.Source.PIXEL


def test_the_snippet_is_served_for_a_known_key_only(client, org_a):
    public_key = analytics_settings_get(organization=org_a).public_key
    response = client.get(f"/t/{public_key}.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    # the key is written as a JavaScript string literal (escapejs turns "-" into \u002D)
    assert escapejs(public_key) in body and "chorus_click" in body and "/t/p.gif" in body
    assert client.get("/t/unknownkey123.js").status_code == 404


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append({"headers": dict(self.headers), "body": body})
        self.send_response(self.server.answers.pop(0) if self.server.answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def crm(settings):
    settings.ANALYTICS_WEBHOOK_ALLOW_LOOPBACK = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received, server.answers = [], []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/chorus"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_conversions_reach_the_crm_signed_and_a_failing_crm_is_retried(
    client, org_a, admin_a, campaign_link, key_a, crm, django_capture_on_commit_callbacks
):
    analytics_settings_update(organization=org_a, actor=admin_a, webhook_url=crm.url)
    secret = webhook_secret(analytics_settings_get(organization=org_a))
    assert secret.startswith("whsec_")
    click_id = _click(campaign_link)
    crm.answers = [503]  # down once, then up
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            _post(client, key_a, {"click_id": click_id, "type": "sale", "value": 10}).status_code
            == 201
        )
    assert len(crm.received) == 1
    waiting = WebhookDelivery.objects.for_org(org_a).get()
    assert (waiting.status, waiting.attempts) == (WebhookDelivery.Status.PENDING, 1)
    assert deliveries_due() == []  # backing off
    assert deliveries_due(now=waiting.next_attempt_at) == [(org_a.pk, waiting.pk)]
    for organization_id, delivery_id in deliveries_due(now=waiting.next_attempt_at):
        conversion_webhook_task.delay(organization_id=organization_id, delivery_id=delivery_id)
    assert len(crm.received) == 2
    delivered = crm.received[-1]
    timestamp, signature = (
        delivered["headers"]["X-Chorus-Timestamp"],
        delivered["headers"]["X-Chorus-Signature"],
    )
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + delivered["body"], hashlib.sha256
    ).hexdigest()
    assert signature == f"sha256={expected}"
    payload = json.loads(delivered["body"])
    assert payload["conversion"]["click_id"] == click_id
    assert payload["attribution"]["advocate_id"] == campaign_link.share.membership_id
    delivery = WebhookDelivery.objects.for_org(org_a).get()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)


def test_a_webhook_to_a_private_address_is_refused(
    client, org_a, admin_a, campaign_link, key_a, settings, django_capture_on_commit_callbacks
):
    settings.ANALYTICS_WEBHOOK_ALLOW_LOOPBACK = False
    analytics_settings_update(
        organization=org_a, actor=admin_a, webhook_url="http://127.0.0.1:9/hook"
    )
    click_id = _click(campaign_link)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, key_a, {"click_id": click_id}).status_code == 201
    delivery = WebhookDelivery.objects.for_org(org_a).get()
    assert delivery.status == WebhookDelivery.Status.FAILED and "not public" in delivery.last_error
