"""Actions taken in the product apps that owners answer for reach the audit trail:
content approved or rejected, reward redemptions decided, the value formula changed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advocacy.audit.models import AuditEntry
from analytics.services import analytics_settings_update
from content_library.services import content_approve, content_reject, content_submit
from recognition.services import (
    redemption_approve,
    redemption_fulfil,
    redemption_reject,
    reward_redeem,
)
from tests.content_library.factories import ContentItemFactory
from tests.recognition.factories import RewardFactory, give_points

pytestmark = pytest.mark.django_db


def test_redemption_decisions_are_recorded(org_a, admin_a, employee_a):
    give_points(employee_a, 100)
    rewards = [RewardFactory(organization=org_a, cost_points=10, name=f"Mug {i}") for i in (1, 2)]
    first, second = (
        reward_redeem(organization=org_a, membership=employee_a, reward=reward)
        for reward in rewards
    )
    redemption_approve(organization=org_a, redemption=first, actor=admin_a, note="enjoy")
    redemption_fulfil(organization=org_a, redemption=first, actor=admin_a, note="sent")
    redemption_reject(organization=org_a, redemption=second, actor=admin_a, note="out of mugs")
    entries = AuditEntry.objects.for_org(org_a).filter(action__startswith="redemption.")
    assert [(e.action, e.target_id, e.actor_label) for e in entries.order_by("id")] == [
        ("redemption.approved", str(first.pk), admin_a.user.email),
        ("redemption.fulfilled", str(first.pk), admin_a.user.email),
        ("redemption.rejected", str(second.pk), admin_a.user.email),
    ]
    assert entries.get(action="redemption.rejected").details["note"] == "out of mugs"


def test_a_value_formula_change_is_recorded_and_an_unchanged_save_is_not(org_a, admin_a):
    analytics_settings_update(organization=org_a, actor=admin_a, cost_per_click=Decimal("2.50"))
    analytics_settings_update(organization=org_a, actor=admin_a, cost_per_click=Decimal("2.50"))
    entries = AuditEntry.objects.for_org(org_a).filter(action="analytics.value_formula_changed")
    assert [e.details for e in entries] == [{"changed": ["cost_per_click"]}]


def test_content_approvals_and_rejections_are_recorded(org_a, admin_a, member_factory):
    curator = member_factory(org_a, "curator")
    approved, rejected = (ContentItemFactory(organization=org_a) for _ in range(2))
    for item in (approved, rejected):
        content_submit(organization=org_a, actor=curator, content=item)
    content_approve(organization=org_a, actor=admin_a, content=approved)
    content_reject(organization=org_a, actor=admin_a, content=rejected, note="Needs a source")
    entries = AuditEntry.objects.for_org(org_a).filter(action__startswith="content.")
    assert [(e.action, e.target_id) for e in entries.order_by("id")] == [
        ("content.approved", str(approved.pk)),
        ("content.rejected", str(rejected.pk)),
    ]
    assert entries.get(action="content.rejected").details == {"note": "Needs a source"}
