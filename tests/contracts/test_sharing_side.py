"""Events between the sharing side (campaigns, social) and the apps that react to it,
each driven from the real publisher into the real consumer: a consented repost and its
outcome, a tracked link switched off, an account that needs reconnecting."""

import pytest

from analytics.models import PollSchedule
from campaigns.links import tracked_link_set_active
from campaigns.models import Repost
from recognition.models import RepostRequest
from recognition.services import repost_answer, thanks_post
from social.services import connection_mark_reauth
from tests.analytics.engagement_support import connect_account, publish
from tests.campaigns.factories import ShareFactory

pytestmark = pytest.mark.django_db


def test_a_consented_repost_is_carried_out_and_its_outcome_comes_back_to_recognition(
    org_a, admin_a, employee_a, django_capture_on_commit_callbacks
):
    share = ShareFactory(organization=org_a, membership=employee_a)
    thanks_post(
        organization=org_a,
        sender=admin_a,
        recipient=employee_a,
        message="Great post, thank you!",
        share_id=share.pk,
        request_repost=True,
    )
    request = RepostRequest.objects.get(share_id=share.pk)
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        repost_answer(organization=org_a, request=request, membership=employee_a, consent=True)
    # No company account is chosen: the sharing side tries, fails, and says why.
    repost = Repost.objects.get(repost_request_id=request.pk)
    assert repost.status == Repost.Status.FAILED
    request.refresh_from_db()
    assert request.outcome == RepostRequest.Outcome.FAILED
    assert "No company account" in request.outcome_error

    for callback in dispatched:  # the same consent delivered again
        callback()
    assert Repost.objects.filter(repost_request_id=request.pk).count() == 1


def test_a_link_switched_off_is_forgotten_by_the_redirect_at_once(
    wsgi, click_redis, link_a, django_capture_on_commit_callbacks
):
    assert wsgi(f"/r/{link_a.code}").status_code == 302  # now cached by the redirect
    with django_capture_on_commit_callbacks(execute=True):
        tracked_link_set_active(
            organization=link_a.organization, link_id=link_a.pk, is_active=False
        )
    assert wsgi(f"/r/{link_a.code}").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        tracked_link_set_active(organization=link_a.organization, link_id=link_a.pk, is_active=True)
    assert wsgi(f"/r/{link_a.code}").status_code == 302


def test_an_account_that_needs_reconnecting_pauses_its_polling(
    sandbox, employee_a, django_capture_on_commit_callbacks
):
    connection = connect_account(sandbox, employee_a, "x", "emma")
    share = publish(connection, capture=django_capture_on_commit_callbacks)
    assert PollSchedule.objects.get(share=share).state == PollSchedule.State.ACTIVE
    for _ in range(2):  # the second report changes nothing
        with django_capture_on_commit_callbacks(execute=True):
            connection_mark_reauth(
                organization=employee_a.organization, connection=connection, error="revoked"
            )
    schedule = PollSchedule.objects.get(share=share)
    assert schedule.state == PollSchedule.State.PAUSED
    assert schedule.last_error == "This account needs reconnecting."
