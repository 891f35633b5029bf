"""The newsletter's "best content" names what was shared: campaigns sends the content's
title with SharePublished and recognition keeps it with the share's points."""

import pytest
from django.utils import timezone

from advocacy import events
from campaigns import services as campaigns
from recognition.models import Cause, PointEntry
from recognition.periods import local_today, month_start
from recognition.services import newsletter_prepare, newsletter_render
from tests.campaigns.factories import ContentFactory

pytestmark = pytest.mark.django_db


def test_best_content_in_the_newsletter_shows_the_shared_contents_title(
    org_a, employee_a, django_capture_on_commit_callbacks
):
    content = ContentFactory(organization=org_a, title="Our new plant in Surabaya opens")
    with django_capture_on_commit_callbacks(execute=True):
        share, _url = campaigns.share_record_by_hand(
            organization=org_a,
            membership=employee_a,
            content=content,
            channel="whatsapp",
            text="Look at this",
        )
    entry = PointEntry.objects.get(cause=Cause.SHARE, reference_id=share.pk)
    assert entry.content_title == "Our new plant in Surabaya opens"

    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.ClicksCounted(
                organization_id=org_a.pk,
                batch_id="b1",
                shares=(
                    events.ShareClicks(
                        share_id=share.pk, membership_id=employee_a.pk, clicks_added=30
                    ),
                ),
            )
        )
    newsletter = newsletter_prepare(organization=org_a, month=month_start(local_today(org_a)))
    message = newsletter_render(organization=org_a, newsletter=newsletter, membership=employee_a)
    line = f"“Our new plant in Surabaya opens”, shared by {employee_a.user} on whatsapp: 30 clicks"
    assert line in message["text"]
    assert "Our new plant in Surabaya opens" in message["html"]


def test_a_share_published_without_a_title_still_reads_well(
    org_a, employee_a, django_capture_on_commit_callbacks
):
    # An older publisher (or a queued event from before titles) sends no title.
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            events.SharePublished(
                organization_id=org_a.pk,
                share_id=777,
                membership_id=employee_a.pk,
                network="linkedin",
                campaign_id=None,
                published_at=timezone.now(),
            )
        )
        events.publish(
            events.ClicksCounted(
                organization_id=org_a.pk,
                batch_id="b1",
                shares=(
                    events.ShareClicks(share_id=777, membership_id=employee_a.pk, clicks_added=12),
                ),
            )
        )
    assert PointEntry.objects.get(cause=Cause.SHARE).content_title == ""
    newsletter = newsletter_prepare(organization=org_a, month=month_start(local_today(org_a)))
    message = newsletter_render(organization=org_a, newsletter=newsletter, membership=employee_a)
    assert f"{employee_a.user}'s share on linkedin: 12 clicks" in message["text"]
