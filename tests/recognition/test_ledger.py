"""The points ledger: idempotent awards, daily caps, adjustments, append-only entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy import events
from advocacy.tenancy.access import NotInOrganization
from recognition.models import Cause, LedgerIsAppendOnly, PointEntry
from recognition.selectors import balance_get
from recognition.services import (
    MAX_ADJUSTMENT,
    adjustment_create,
    settings_update,
    share_points_award,
)
from recognition.tasks import award_share

from .factories import give_points

pytestmark = pytest.mark.django_db


def _share_event(member, share_id=501, network="linkedin"):
    return events.SharePublished(
        organization_id=member.organization_id,
        share_id=share_id,
        membership_id=member.pk,
        network=network,
        campaign_id=None,
        published_at=timezone.now(),
    )


def test_a_published_share_earns_points_once_even_when_the_event_comes_twice(
    employee_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(_share_event(employee_a))
        events.publish(_share_event(employee_a))
    entries = PointEntry.objects.filter(membership=employee_a, cause=Cause.SHARE)
    assert entries.count() == 1
    assert entries.get().reference_id == 501
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 10


def test_rerunning_the_task_never_awards_twice(employee_a):
    kwargs = dict(
        organization_id=employee_a.organization_id,
        membership_id=employee_a.pk,
        share_id=77,
        network="x",
        published_at=timezone.now().isoformat(),
    )
    award_share.apply(kwargs=kwargs)
    award_share.apply(kwargs=kwargs)
    assert PointEntry.objects.filter(idempotency_key="share:77").count() == 1
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 10


def test_points_per_network_override_the_default(employee_a):
    settings_update(organization=employee_a.organization, points_per_network={"linkedin": 25})
    share_points_award(
        organization=employee_a.organization, membership=employee_a, share_id=1, network="linkedin"
    )
    share_points_award(
        organization=employee_a.organization, membership=employee_a, share_id=2, network="x"
    )
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 35


def test_daily_cap_limits_automatic_points_but_still_records_the_share(employee_a):
    org = employee_a.organization
    settings_update(organization=org, daily_cap=25)
    for share_id in (1, 2, 3):
        share_points_award(organization=org, membership=employee_a, share_id=share_id, network="x")
    entries = list(
        PointEntry.objects.filter(membership=employee_a)
        .order_by("id")
        .values_list("points", flat=True)
    )
    assert entries == [10, 10, 5]
    share_points_award(organization=org, membership=employee_a, share_id=4, network="x")
    assert PointEntry.objects.get(idempotency_key="share:4").points == 0
    assert balance_get(organization=org, membership=employee_a) == 25
    # a share published yesterday counts against yesterday's cap
    share_points_award(
        organization=org,
        membership=employee_a,
        share_id=5,
        network="x",
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    assert PointEntry.objects.get(idempotency_key="share:5").points == 10


def test_admin_adjustment_with_a_reason_changes_the_balance(employee_a, admin_a):
    give_points(employee_a, 50)
    entry = adjustment_create(
        organization=employee_a.organization,
        membership=employee_a,
        points=-20,
        reason="Duplicate share",
        actor=admin_a,
    )
    assert entry.cause == Cause.ADJUSTMENT and entry.created_by == admin_a
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 30


@pytest.mark.parametrize(
    ("points", "reason", "field"),
    [
        (0, "Nothing", "points"),
        (MAX_ADJUSTMENT + 1, "Too much", "points"),
        (-MAX_ADJUSTMENT - 1, "Too much", "points"),
        (10, "   ", "reason"),
        (-51, "Below zero", "points"),
    ],
)
def test_bad_adjustments_are_refused_and_leave_the_ledger_unchanged(
    employee_a, admin_a, points, reason, field
):
    give_points(employee_a, 50)
    before = PointEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        adjustment_create(
            organization=employee_a.organization,
            membership=employee_a,
            points=points,
            reason=reason,
            actor=admin_a,
        )
    assert field in refused.value.message_dict
    assert PointEntry.objects.count() == before
    assert balance_get(organization=employee_a.organization, membership=employee_a) == 50


def test_adjusting_a_member_of_another_organization_is_refused(admin_a, admin_b):
    with pytest.raises(NotInOrganization):
        adjustment_create(
            organization=admin_a.organization,
            membership=admin_b,
            points=10,
            reason="x",
            actor=admin_a,
        )
    assert not PointEntry.objects.exists()


def test_the_same_idempotency_key_adjusts_once(employee_a, admin_a):
    org = employee_a.organization
    adjustment_create(
        organization=org,
        membership=employee_a,
        points=5,
        reason="Bonus",
        actor=admin_a,
        idempotency_key="req-1",
    )
    with pytest.raises(ValidationError):
        adjustment_create(
            organization=org,
            membership=employee_a,
            points=5,
            reason="Bonus",
            actor=admin_a,
            idempotency_key="req-1",
        )
    assert balance_get(organization=org, membership=employee_a) == 5


def test_entries_are_append_only(employee_a):
    entry = give_points(employee_a, 10)
    entry.points = 1000
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    assert PointEntry.objects.get(pk=entry.pk).points == 10
