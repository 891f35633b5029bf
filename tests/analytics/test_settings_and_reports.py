"""The admins' settings page (formula changes logged, keys, budgets and usage, dead
letters), the weekly summary email, and the sentiment analyzers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from advocacy.tenancy.models import Role
from analytics.dashboards.reports import organizations_due_for_summary, weekly_summary_send
from analytics.engagement import sentiment
from analytics.models import (
    ConversionKey,
    PollFailure,
    PollSchedule,
    ReadUsage,
    SettingsChange,
    WeeklySummary,
)
from analytics.rollups.facts import Fact
from analytics.rollups.writers import rollups_add
from analytics.selectors import analytics_settings_get

from .factories import ShareFactory

pytestmark = pytest.mark.django_db


def _settings_url(org):
    return f"/o/{org.slug}/analytics/settings/"


def _value_form(**overrides):
    data = {
        "action": "value",
        "cost_per_click": "2.00",
        "value_per_engagement": "0.25",
        "monthly_program_cost": "1500.00",
        "contribute_to_benchmarks": "on",
    }
    for network in ("linkedin", "x", "facebook", "mastodon", "bluesky"):
        data[f"cpm_{network}"] = "10.00"
        data[f"budget_{network}"] = ""
    for key in ("participation_rate", "clicks_per_share", "engagement_rate", "conversion_rate"):
        data[f"industry_{key}"] = ""
    data.update(overrides)
    return data


def test_formula_changes_are_saved_and_logged(web, admin_a):
    client = web.as_member(admin_a)
    org = admin_a.organization
    response = client.post(
        _settings_url(org), _value_form(budget_x="10000", industry_participation_rate="30")
    )
    assert response.status_code == 302
    current = analytics_settings_get(organization=org)
    assert current.cost_per_click == Decimal("2.00") and current.read_budgets == {"x": 10000}
    assert current.industry_benchmarks == {"participation_rate": "30.00"}
    logged = {change.field: change for change in SettingsChange.objects.for_org(org)}
    assert (
        logged["cost_per_click"].old_value == "1.50"
        and logged["cost_per_click"].new_value == "2.00"
    )
    assert logged["cost_per_click"].changed_by == admin_a
    page = client.get(_settings_url(org)).content.decode()
    assert "cost_per_click" in page  # the log is on the page


def test_bad_formula_values_are_refused_and_change_nothing(web, admin_a):
    client = web.as_member(admin_a)
    org = admin_a.organization
    response = client.post(_settings_url(org), _value_form(cost_per_click="-1"))
    assert response.status_code == 400
    assert not SettingsChange.objects.for_org(org).exists()


def test_keys_are_shown_once_and_stored_hashed(web, admin_a):
    client = web.as_member(admin_a)
    org = admin_a.organization
    response = client.post(_settings_url(org), {"action": "key_create", "name": "Shop"})
    raw = response.context["new_key"]
    assert raw.startswith("chk_") and raw in response.content.decode()
    key = ConversionKey.objects.for_org(org).get()
    assert raw not in (key.key_hash, key.prefix) and len(key.key_hash) == 64
    assert raw not in client.get(_settings_url(org)).content.decode()
    client.post(_settings_url(org), {"action": "key_revoke", "key": key.pk})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_admins_see_read_usage_and_dead_letters_and_can_retry(web, admin_a):
    org = admin_a.organization
    current = analytics_settings_get(organization=org)
    current.read_budgets = {"x": 200}
    current.save()
    month = timezone.localdate().replace(day=1)
    ReadUsage.objects.create(organization=org, network="x", month=month, reads=150)
    share = ShareFactory(organization=org, published_at=timezone.now())
    schedule = PollSchedule.objects.create(
        organization=org,
        share=share,
        network="x",
        external_id="9",
        published_at=timezone.now(),
        state=PollSchedule.State.DEAD,
    )
    failure = PollFailure.objects.create(
        organization=org,
        schedule=schedule,
        share=share,
        network="x",
        error="x answered 503: Service Unavailable",
        attempts=5,
    )
    client = web.as_member(admin_a)
    page = client.get(_settings_url(org)).content.decode()
    assert "150 of 200" in page and "Service Unavailable" in page
    client.post(_settings_url(org), {"action": "retry_failure", "failure": failure.pk})
    schedule.refresh_from_db()
    assert schedule.state == PollSchedule.State.ACTIVE


def test_managers_may_not_open_the_settings(web, org_a, member_factory):
    manager = member_factory(org_a, Role.MANAGER)
    assert web.as_member(manager).get(_settings_url(org_a)).status_code == 403


def test_the_weekly_summary_goes_to_admins_and_managers_once_in_their_language(
    org_a, admin_a, member_factory
):
    manager = member_factory(org_a, Role.MANAGER)
    manager.user.preferred_language = "id"
    manager.user.save()
    member_factory(org_a, Role.EMPLOYEE)
    monday_morning = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # a Monday, 09:00 UTC
    share = ShareFactory(
        organization=org_a, membership=admin_a, published_at=monday_morning - dt.timedelta(days=3)
    )
    rollups_add([Fact(share.pk, dt.date(2026, 11, 27), {"shares": 1, "clicks": 7})])
    assert org_a.pk in organizations_due_for_summary(now=monday_morning)
    assert weekly_summary_send(organization=org_a, now=monday_morning) == 2
    assert weekly_summary_send(organization=org_a, now=monday_morning + dt.timedelta(hours=1)) == 0
    assert org_a.pk not in organizations_due_for_summary(now=monday_morning + dt.timedelta(hours=1))
    assert WeeklySummary.objects.for_org(org_a).get().week_start == dt.date(2026, 11, 23)
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {admin_a.user.email, manager.user.email}
    english = by_person[admin_a.user.email]
    assert "Human clicks: 7" in english.body
    assert english.alternatives and english.alternatives[0][1] == "text/html"
    assert "Here is how the advocacy program did" in english.body
    assert "Here is how the advocacy program did" not in by_person[manager.user.email].body


def test_sentiment_reads_english_and_indonesian():
    assert sentiment.analyze("Great read, thanks for sharing!", "en") > 0.5
    assert sentiment.analyze("Disappointing, I expected more detail.", "en") < -0.2
    assert sentiment.analyze("Keren banget, selamat untuk timnya!", "id") > 0.3
    assert sentiment.analyze("Tidak bagus, sangat mengecewakan", "id") < -0.3
    assert sentiment.analyze("Apakah ada rekamannya?", "id") == 0
    assert sentiment.guess_language("Sangat bermanfaat, terima kasih") == "id"
    assert sentiment.guess_language("Congrats to the whole team") == "en"
    assert all(
        -1 <= sentiment.analyze(text) <= 1 for text in ["", "!!!", "bagus " * 200, "awful " * 200]
    )
