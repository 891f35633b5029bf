"""The conversion pixel and API under abuse: a replayed pixel, a flood from one key,
absurd amounts. Each accepted conversion fires exactly one webhook; refused ones none."""

from __future__ import annotations

import json

import pytest

from advocacy import outbound
from analytics.conversions import views
from analytics.conversions.record import conversion_key_create
from analytics.models import Conversion, WebhookDelivery
from analytics.services import analytics_settings_update
from tests.analytics.factories import CampaignFactory, tracked_link_for
from tests.analytics.test_conversions import _click, _post

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_link(org_a):
    return tracked_link_for(org_a, campaign=CampaignFactory(organization=org_a))


@pytest.fixture
def key_a(org_a):
    return conversion_key_create(organization=org_a, actor=None, name="shop")[1]


@pytest.fixture
def crm_configured(org_a, admin_a, monkeypatch):
    # Deliveries are made and attempted; the CRM's name resolves inwards, so none is sent.
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["10.0.0.1"])
    analytics_settings_update(
        organization=org_a, actor=admin_a, webhook_url="https://crm.example.com/hook"
    )


def _pixel(client, org, click_id, external_id, value="10"):
    from analytics.selectors import analytics_settings_get

    key = analytics_settings_get(organization=org).public_key
    return client.get(
        "/t/p.gif", {"k": key, "c": click_id, "t": "sale", "v": value, "x": external_id}
    )


def test_one_click_counts_at_most_the_organizations_cap(
    client, org_a, admin_a, campaign_link, crm_configured, django_capture_on_commit_callbacks
):
    analytics_settings_update(organization=org_a, actor=admin_a, max_conversions_per_click=3)
    click_id = _click(campaign_link)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [
            _pixel(client, org_a, click_id, f"order-{n}")["X-Chorus-Conversion"] for n in range(6)
        ]
    assert outcomes == ["recorded"] * 3 + ["click_cap"] * 3
    assert Conversion.objects.for_org(org_a).count() == 3
    # one webhook per accepted conversion, none for the refused ones
    assert WebhookDelivery.objects.for_org(org_a).count() == 3
    assert sorted(
        WebhookDelivery.objects.for_org(org_a).values_list("conversion_id", flat=True)
    ) == sorted(Conversion.objects.for_org(org_a).values_list("pk", flat=True))


def test_a_replayed_conversion_is_a_duplicate_and_fires_no_second_webhook(
    client, org_a, campaign_link, key_a, crm_configured, django_capture_on_commit_callbacks
):
    click_id = _click(campaign_link)
    body = {"click_id": click_id, "type": "sale", "value": 10, "external_id": "order-1"}
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, key_a, body).status_code == 201
        for _ in range(3):
            response = _post(client, key_a, body)
            assert response.status_code == 200 and response.json()["status"] == "duplicate"
    assert Conversion.objects.for_org(org_a).count() == 1
    assert WebhookDelivery.objects.for_org(org_a).count() == 1


def test_one_click_sending_too_fast_is_told_when_to_come_back(
    client, org_a, campaign_link, key_a, monkeypatch
):
    monkeypatch.setattr(views, "RATE_PER_CLICK", "4/m")
    click_id = _click(campaign_link)
    answers = [
        _post(client, key_a, {"click_id": click_id, "type": "lead", "external_id": f"l{n}"})
        for n in range(6)
    ]
    assert [a.status_code for a in answers[:4]] == [201, 201, 201, 201]
    limited = answers[4]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["error"] == "rate_limited" and "Try again" in limited.json()["detail"]
    assert Conversion.objects.for_org(org_a).count() == 4


def test_one_key_flooding_is_limited_across_clicks(
    client, org_a, campaign_link, key_a, monkeypatch
):
    monkeypatch.setattr(views, "RATE_PER_KEY", "3/m")
    statuses = [
        _post(client, key_a, {"click_id": f"clk_flood{n:05d}", "type": "lead"}).status_code
        for n in range(5)
    ]
    assert statuses[:3] == [400, 400, 400]  # unknown clicks, but counted
    assert statuses[3:] == [429, 429]


def test_the_pixel_is_limited_too_with_retry_after(client, org_a, campaign_link, monkeypatch):
    monkeypatch.setattr(views, "RATE_PER_CLICK", "2/m")
    click_id = _click(campaign_link)
    answers = [_pixel(client, org_a, click_id, f"o{n}") for n in range(3)]
    assert answers[2].status_code == 429 and int(answers[2]["Retry-After"]) > 0
    assert answers[2]["X-Chorus-Conversion"] == "rate_limited"


@pytest.mark.parametrize(
    "value", ["-1", "1e30", "NaN", "Infinity", "-Infinity", "abc", "10000000000.00"]
)
def test_amounts_are_bounded(client, org_a, campaign_link, key_a, value):
    click_id = _click(campaign_link)
    body = json.dumps({"click_id": click_id, "type": "sale", "value": value})
    response = _post(client, key_a, body)
    assert response.status_code == 400 and response.json()["error"] == "invalid"
    assert not Conversion.objects.for_org(org_a).exists()


def test_an_admin_sets_the_cap_and_bad_caps_are_refused(web, org_a, admin_a):
    page = f"/o/{org_a.slug}/analytics/settings/"
    client = web.as_member(admin_a)
    for bad in ("0", "-2", "100000"):
        response = client.post(
            page, {"action": "webhook", "webhook_url": "", "max_conversions_per_click": bad}
        )
        assert response.status_code == 400
    from analytics.selectors import analytics_settings_get

    assert analytics_settings_get(organization=org_a).max_conversions_per_click == 5
