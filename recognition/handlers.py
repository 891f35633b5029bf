"""Reactions to other apps' events; registered in RecognitionConfig.ready(). Each handler
enqueues an idempotent task, so a duplicate event never awards twice."""

from __future__ import annotations

from advocacy import events
from advocacy.tenancy.tasks import enqueue_on_commit

from . import tasks


@events.subscribe(events.SharePublished)
def on_share_published(event: events.SharePublished) -> None:
    enqueue_on_commit(
        tasks.award_share,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
        share_id=event.share_id,
        network=event.network,
        published_at=event.published_at.isoformat(),
        content_title=event.content_title,
    )


@events.subscribe(events.ShareDeleted)
def on_share_deleted(event: events.ShareDeleted) -> None:
    enqueue_on_commit(
        tasks.record_share_deleted,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
        share_id=event.share_id,
    )


@events.subscribe(events.ShareReposted)
def on_share_reposted(event: events.ShareReposted) -> None:
    enqueue_on_commit(
        tasks.record_repost_outcome,
        organization_id=event.organization_id,
        repost_request_id=event.repost_request_id,
        ok=event.ok,
        error=event.error,
    )


@events.subscribe(events.ClicksCounted)
def on_clicks_counted(event: events.ClicksCounted) -> None:
    enqueue_on_commit(
        tasks.award_clicks,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
        share_id=event.share_id,
        total_clicks=event.total_clicks,
    )


@events.subscribe(events.SelfClicksDetected)
def on_self_clicks(event: events.SelfClicksDetected) -> None:
    enqueue_on_commit(
        tasks.flag_self_clicks,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
        share_id=event.share_id,
        clicks=event.clicks,
    )


@events.subscribe(events.CourseCompleted)
def on_course_completed(event: events.CourseCompleted) -> None:
    enqueue_on_commit(
        tasks.award_course,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
        course_id=event.course_id,
    )


@events.subscribe(events.TrainingCompleted)
def on_training_completed(event: events.TrainingCompleted) -> None:
    enqueue_on_commit(
        tasks.record_training_completed,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
    )


@events.subscribe(events.PulseAnswered)
def on_pulse_answered(event: events.PulseAnswered) -> None:
    enqueue_on_commit(
        tasks.award_pulse,
        organization_id=event.organization_id,
        membership_id=event.membership_id,
        round_id=event.round_id,
    )
