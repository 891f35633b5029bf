"""The CRM webhook URL is read by the outbound gate's parser when it is saved: a URL the
gate would refuse when sending is a clear form error at once, and nothing is saved."""

from __future__ import annotations

import pytest

from analytics.selectors import analytics_settings_get

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "https://user:secret@crm.example.com/hook",
        "http://2130706433/hook",
        "http://0x7f.1/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:10.0.0.1]/hook",
    ],
)
def test_a_url_the_gate_refuses_is_not_saved(web, org_a, admin_a, url):
    page = f"/o/{org_a.slug}/analytics/settings/"
    response = web.as_member(admin_a).post(
        page, {"action": "webhook", "webhook_url": url, "max_conversions_per_click": "5"}
    )
    assert response.status_code == 400
    assert response.context["webhook_form"].errors["webhook_url"]
    assert analytics_settings_get(organization=org_a).webhook_url == ""


def test_a_public_url_is_saved(web, org_a, admin_a):
    page = f"/o/{org_a.slug}/analytics/settings/"
    url = "https://crm.example.com/hook"
    response = web.as_member(admin_a).post(
        page, {"action": "webhook", "webhook_url": url, "max_conversions_per_click": "5"}
    )
    assert response.status_code in (200, 302)
    assert analytics_settings_get(organization=org_a).webhook_url == url
