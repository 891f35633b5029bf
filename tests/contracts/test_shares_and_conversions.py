"""A share going out, a post deleted on the network and a conversion, each from the real
publisher into every real consumer: analytics (rollups, polling, the CRM webhook) and
recognition (points, the quick-delete hold). A second delivery changes nothing."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from analytics.conversions.record import conversion_key_create
from analytics.engagement.polling import claim_due, poll_batch
from analytics.models import OrgDaily, PollSchedule, WebhookDelivery
from analytics.services import analytics_settings_update
from campaigns import services as campaigns
from recognition.models import Cause, EntryStatus, GamingFlag, PointEntry
from recognition.services import settings_update
from tests.analytics.engagement_support import connect_account, publish
from tests.campaigns.factories import ContentFactory

pytestmark = pytest.mark.django_db


def _orgdaily_shares(organization) -> int:
    return sum(OrgDaily.objects.filter(organization=organization).values_list("shares", flat=True))


def test_a_share_by_hand_is_counted_scored_and_not_polled_once_however_often_it_is_told(
    org_a, employee_a, django_capture_on_commit_callbacks
):
    settings_update(organization=org_a, points_per_share=10)
    content = ContentFactory(organization=org_a, title="Our plant in Surabaya")
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        share, _url = campaigns.share_record_by_hand(
            organization=org_a,
            membership=employee_a,
            content=content,
            channel="whatsapp",
            text="Look",
        )
    entry = PointEntry.objects.get(cause=Cause.SHARE, reference_id=share.pk)
    assert (entry.points, entry.network, entry.content_title) == (
        10,
        "whatsapp",
        "Our plant in Surabaya",
    )
    assert _orgdaily_shares(org_a) == 1
    assert PollSchedule.objects.get(share=share).state == PollSchedule.State.NOT_POLLED

    for callback in dispatched:  # SharePublished delivered again
        callback()
    assert PointEntry.objects.filter(cause=Cause.SHARE).count() == 1
    assert _orgdaily_shares(org_a) == 1
    assert PollSchedule.objects.filter(share=share).count() == 1


def test_a_post_deleted_on_the_network_right_after_it_earned_points_is_held_for_review(
    sandbox, employee_a, django_capture_on_commit_callbacks
):
    organization = employee_a.organization
    connection = connect_account(sandbox, employee_a, "x", "emma")
    share = publish(connection, capture=django_capture_on_commit_callbacks)
    assert PointEntry.objects.get(cause=Cause.SHARE, reference_id=share.pk).status == "counted"
    with sandbox.app.state.lock:  # the advocate deletes the post on X
        del sandbox.app.state.posts["x"][share.publication.external_id]
    PollSchedule.objects.filter(share=share).update(next_poll_at=share.published_at)
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        for organization_id, connection_id, ids in claim_due():
            assert organization_id == organization.pk
            outcome = poll_batch(
                organization=organization, connection_id=connection_id, schedule_ids=ids
            )
    assert outcome["gone"] == 1
    assert PollSchedule.objects.get(share=share).state == PollSchedule.State.DONE
    flag = GamingFlag.objects.get(kind=GamingFlag.Kind.QUICK_DELETE)
    assert (flag.membership_id, flag.reference_id) == (employee_a.pk, share.pk)
    entry = PointEntry.objects.get(cause=Cause.SHARE, reference_id=share.pk)
    assert entry.status == EntryStatus.HELD
    for callback in dispatched:  # ShareDeleted delivered again
        callback()
    assert GamingFlag.objects.count() == 1


def test_a_conversion_is_handed_to_the_crm_webhook_once(
    client, wsgi, no_redis, link_a, admin_a, crm, django_capture_on_commit_callbacks
):
    organization = link_a.organization
    analytics_settings_update(organization=organization, actor=admin_a, webhook_url=crm.url)
    key = conversion_key_create(organization=organization, actor=None, name="shop")[1]
    visit = wsgi(f"/r/{link_a.code}")
    click_id = parse_qs(urlsplit(visit.headers["Location"]).query)["chorus_click"][0]
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        answer = client.post(
            "/api/v1/conversions",
            json.dumps({"click_id": click_id, "type": "sale", "value": 120}),
            content_type="application/json",
            headers={"authorization": f"Bearer {key}"},
        )
    assert answer.status_code == 201, answer.content
    [handed] = crm.received
    assert json.loads(handed["body"])["conversion"]["click_id"] == click_id
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED

    for callback in dispatched:  # ConversionRecorded delivered again
        callback()
    assert len(crm.received) == 1
    assert WebhookDelivery.objects.count() == 1
