"""The analytics API: conversions and poll dead letters, HR admins only, one organization at a time."""

from __future__ import annotations

import pytest
from django.utils import timezone

from analytics.models import Conversion, PollFailure, PollSchedule

from .factories import ShareFactory

pytestmark = pytest.mark.django_db


def _failure(organization):
    share = ShareFactory(organization=organization, published_at=timezone.now())
    schedule = PollSchedule.objects.create(
        organization=organization,
        share=share,
        network="x",
        external_id="1",
        published_at=timezone.now(),
        state=PollSchedule.State.DEAD,
        failures=5,
    )
    return PollFailure.objects.create(
        organization=organization,
        schedule=schedule,
        share=share,
        network="x",
        error="x answered 503",
        attempts=5,
    )


def _conversion(organization):
    share = ShareFactory(organization=organization, published_at=timezone.now())
    return Conversion.objects.create(
        organization=organization,
        click_event_id=1,
        click_id="c1",
        share=share,
        membership=share.membership,
        network="linkedin",
        kind="lead",
        source="api",
        occurred_at=timezone.now(),
    )


def test_admins_list_conversions_and_retry_a_dead_letter(api, admin_a):
    org = admin_a.organization
    conversion, failure = _conversion(org), _failure(org)
    client = api.as_member(admin_a)
    listed = client.get(f"/api/v1/orgs/{org.slug}/analytics/conversions/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [conversion.pk]
    assert (
        client.post(
            f"/api/v1/orgs/{org.slug}/analytics/poll-failures/{failure.pk}/retry/"
        ).status_code
        == 200
    )
    failure.refresh_from_db()
    assert failure.resolved_at is not None
    assert PollSchedule.objects.get(pk=failure.schedule_id).state == PollSchedule.State.ACTIVE


def test_employees_may_not_read_them(api, employee_a):
    org = employee_a.organization
    assert (
        api.as_member(employee_a).get(f"/api/v1/orgs/{org.slug}/analytics/conversions/").status_code
        == 403
    )


def test_another_organizations_rows_are_404_and_untouched(api, admin_a, org_b):
    foreign_failure, foreign_conversion = _failure(org_b), _conversion(org_b)
    client = api.as_member(admin_a)
    slug = admin_a.organization.slug
    assert (
        client.get(
            f"/api/v1/orgs/{slug}/analytics/conversions/{foreign_conversion.pk}/"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/orgs/{slug}/analytics/poll-failures/{foreign_failure.pk}/retry/"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/orgs/{org_b.slug}/analytics/conversions/").status_code == 404
    foreign_failure.refresh_from_db()
    assert foreign_failure.resolved_at is None
    assert PollSchedule.objects.get(pk=foreign_failure.schedule_id).state == PollSchedule.State.DEAD
