"""Shout-outs, reactions, comments, leaders' thanks, repost consent and shout-out rings."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advocacy import events
from advocacy.tenancy.access import NotInOrganization
from advocacy.tenancy.models import Role
from recognition.models import (
    CompanyValue,
    EntryStatus,
    GamingFlag,
    PointEntry,
    Reaction,
    RepostRequest,
    ShoutOut,
)
from recognition.selectors import balance_get
from recognition.services import (
    comment_add,
    flag_review,
    reaction_toggle,
    repost_answer,
    settings_ensure,
    settings_update,
    shoutout_send,
    thanks_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(org_a, member_factory):
    return member_factory(org_a)


def test_a_shout_out_tied_to_a_value_gives_the_recipient_points(employee_a, colleague):
    org = employee_a.organization
    settings_ensure(organization=org)
    value = CompanyValue.objects.filter(organization=org).first()
    shoutout = shoutout_send(
        organization=org, sender=employee_a, recipient=colleague, message="Great post!", value=value
    )
    assert shoutout.value == value
    assert balance_get(organization=org, membership=colleague) == 5
    assert balance_get(organization=org, membership=employee_a) == 0


@pytest.mark.parametrize("who", ["self", "foreign", "none"])
def test_shout_outs_to_oneself_or_outside_the_organization_are_refused(employee_a, admin_b, who):
    recipient = {"self": employee_a, "foreign": admin_b, "none": None}[who]
    with pytest.raises(NotInOrganization if who == "foreign" else ValidationError):
        shoutout_send(
            organization=employee_a.organization,
            sender=employee_a,
            recipient=recipient,
            message="Hi",
        )
    assert not ShoutOut.objects.exists()
    assert not PointEntry.objects.exists()


def test_a_value_of_another_organization_is_refused(employee_a, colleague, org_b):
    foreign_value = CompanyValue.objects.create(organization=org_b, name="Theirs")
    with pytest.raises(NotInOrganization):
        shoutout_send(
            organization=employee_a.organization,
            sender=employee_a,
            recipient=colleague,
            message="Hi",
            value=foreign_value,
        )
    assert not ShoutOut.objects.exists()


def test_empty_message_and_daily_limit(employee_a, colleague):
    org = employee_a.organization
    with pytest.raises(ValidationError):
        shoutout_send(organization=org, sender=employee_a, recipient=colleague, message="  ")
    settings_update(organization=org, shoutouts_per_day=2)
    shoutout_send(organization=org, sender=employee_a, recipient=colleague, message="1")
    shoutout_send(organization=org, sender=employee_a, recipient=colleague, message="2")
    with pytest.raises(ValidationError):
        shoutout_send(organization=org, sender=employee_a, recipient=colleague, message="3")
    assert ShoutOut.objects.count() == 2


def test_reciprocal_shout_out_rings_are_held_for_review(employee_a, colleague, admin_a):
    org = employee_a.organization
    for round_ in range(3):
        shoutout_send(
            organization=org, sender=employee_a, recipient=colleague, message=f"a{round_}"
        )
        shoutout_send(
            organization=org, sender=colleague, recipient=employee_a, message=f"b{round_}"
        )
    flag = GamingFlag.objects.get(kind=GamingFlag.Kind.RECIPROCAL_SHOUTOUTS)
    assert {flag.membership, flag.other_membership} == {employee_a, colleague}
    assert PointEntry.objects.filter(status=EntryStatus.HELD).count() == 6
    assert balance_get(organization=org, membership=employee_a) == 0
    flag_review(organization=org, flag=flag, confirm=True, reviewer=admin_a)
    assert PointEntry.objects.filter(status=EntryStatus.VOIDED).count() == 6
    with pytest.raises(ValidationError):
        flag_review(organization=org, flag=flag, confirm=False, reviewer=admin_a)


def test_one_sided_appreciation_is_not_a_ring(employee_a, colleague):
    org = employee_a.organization
    for n in range(5):
        shoutout_send(organization=org, sender=employee_a, recipient=colleague, message=str(n))
    shoutout_send(organization=org, sender=colleague, recipient=employee_a, message="thanks")
    assert not GamingFlag.objects.exists()
    assert balance_get(organization=org, membership=colleague) == 25


def test_reactions_toggle_and_comments(employee_a, colleague):
    org = employee_a.organization
    shoutout = shoutout_send(
        organization=org, sender=employee_a, recipient=colleague, message="Nice"
    )
    assert (
        reaction_toggle(organization=org, shoutout=shoutout, membership=colleague, emoji="clap")
        is True
    )
    assert Reaction.objects.count() == 1
    assert (
        reaction_toggle(organization=org, shoutout=shoutout, membership=colleague, emoji="clap")
        is False
    )
    assert Reaction.objects.count() == 0
    with pytest.raises(ValidationError):
        reaction_toggle(organization=org, shoutout=shoutout, membership=colleague, emoji="<script>")
    comment_add(organization=org, shoutout=shoutout, author=colleague, text="Thank you!")
    assert shoutout.comments.get().text == "Thank you!"


def test_leaders_thank_publicly_and_a_repost_needs_the_advocates_consent(
    employee_a, admin_a, colleague, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    with pytest.raises(ValidationError):
        thanks_post(
            organization=org, sender=colleague, recipient=employee_a, message="Thanks"
        )  # not a leader
    received = []
    events.subscribe(events.ShareRepostRequested)(received.append)
    thanks = thanks_post(
        organization=org,
        sender=admin_a,
        recipient=employee_a,
        message="Great reach!",
        share_id=42,
        request_repost=True,
    )
    assert thanks.kind == ShoutOut.Kind.THANKS
    request = RepostRequest.objects.get()
    with pytest.raises(ValidationError):
        repost_answer(organization=org, request=request, membership=colleague, consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        repost_answer(organization=org, request=request, membership=employee_a, consent=True)
    assert [(e.share_id, e.membership_id) for e in received] == [(42, employee_a.pk)]
    with pytest.raises(ValidationError):
        repost_answer(organization=org, request=request, membership=employee_a, consent=False)


def test_executives_count_as_leaders(org_a, member_factory, employee_a):
    executive = member_factory(org_a, Role.EMPLOYEE, is_executive=True)
    thanks_post(organization=org_a, sender=executive, recipient=employee_a, message="Thank you")
    assert ShoutOut.objects.filter(kind=ShoutOut.Kind.THANKS).count() == 1


def test_a_ring_of_three_passing_shout_outs_round_is_held_for_review(
    employee_a, colleague, member_factory, admin_a
):
    org = employee_a.organization
    third = member_factory(org)
    circle = [(employee_a, colleague), (colleague, third), (third, employee_a)]
    for n in range(3):
        for sender, recipient in circle:
            shoutout_send(organization=org, sender=sender, recipient=recipient, message=str(n))
    flag = GamingFlag.objects.get()
    assert flag.kind == GamingFlag.Kind.SHOUTOUT_CYCLE
    assert {flag.membership_id, flag.other_membership_id, flag.reference_id} == {
        employee_a.pk,
        colleague.pk,
        third.pk,
    }
    assert PointEntry.objects.filter(status=EntryStatus.HELD, flag=flag).count() == 9
    for person in (employee_a, colleague, third):
        assert balance_get(organization=org, membership=person) == 0
    flag_review(organization=org, flag=flag, confirm=False, reviewer=admin_a)
    assert balance_get(organization=org, membership=third) == 15


def test_a_chain_that_does_not_close_is_not_a_ring(employee_a, colleague, member_factory):
    org = employee_a.organization
    third = member_factory(org)
    for n in range(3):
        shoutout_send(organization=org, sender=employee_a, recipient=colleague, message=str(n))
        shoutout_send(organization=org, sender=colleague, recipient=third, message=str(n))
    for n in range(2):  # the link back is not strong enough to close the circle
        shoutout_send(organization=org, sender=third, recipient=employee_a, message=str(n))
    assert not GamingFlag.objects.exists()
    assert not PointEntry.objects.filter(status=EntryStatus.HELD).exists()


def _consented_repost(org, leader, advocate, captured, *, carry_out=False):
    thanks_post(
        organization=org,
        sender=leader,
        recipient=advocate,
        message="Great reach!",
        share_id=42,
        request_repost=True,
    )
    request = RepostRequest.objects.get()
    # carry_out runs the sharing side for real (campaigns), which reports back ShareReposted.
    with captured(execute=carry_out):
        repost_answer(organization=org, request=request, membership=advocate, consent=True)
    return request


def _reported(request, *, ok, error="", organization_id=None):
    return events.ShareReposted(
        organization_id=organization_id or request.organization_id,
        repost_request_id=request.pk,
        ok=ok,
        error=error,
    )


def test_the_repost_outcome_is_recorded_and_shown_on_the_thanks(
    web, employee_a, admin_a, colleague, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    request = _consented_repost(org, admin_a, employee_a, django_capture_on_commit_callbacks)
    feed = reverse("recognition:feed", kwargs={"org_slug": org.slug})
    assert "the repost is on its way" in web.as_member(colleague).get(feed).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        events.publish(_reported(request, ok=False, error="Company page token expired"))
    request.refresh_from_db()
    assert request.outcome == RepostRequest.Outcome.FAILED
    assert request.outcome_error == "Company page token expired"
    advocate_view = web.as_member(employee_a).get(feed).content.decode()
    assert "Company page token expired" in advocate_view
    bystander_view = web.as_member(colleague).get(feed).content.decode()
    assert "account failed" in bystander_view
    assert "token expired" not in bystander_view  # the reason is for the people involved

    with django_capture_on_commit_callbacks(execute=True):
        events.publish(_reported(request, ok=True))
        events.publish(_reported(request, ok=False, error="late duplicate"))
    request.refresh_from_db()
    assert (request.outcome, request.outcome_error) == (RepostRequest.Outcome.REPOSTED, "")
    assert "Reposted on the company" in web.as_member(colleague).get(feed).content.decode()


def test_the_sharing_side_reports_back_after_carrying_out_a_consented_repost(
    employee_a, admin_a, django_capture_on_commit_callbacks
):
    # Share 42 does not exist on the sharing side: it says so instead of leaving us waiting.
    request = _consented_repost(
        employee_a.organization,
        admin_a,
        employee_a,
        django_capture_on_commit_callbacks,
        carry_out=True,
    )
    request.refresh_from_db()
    assert request.outcome == RepostRequest.Outcome.FAILED and request.outcome_error
    assert request.outcome_at is not None


def test_a_repost_outcome_for_another_organization_changes_nothing(
    employee_a, admin_a, org_b, django_capture_on_commit_callbacks
):
    org = employee_a.organization
    request = _consented_repost(org, admin_a, employee_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(_reported(request, ok=True, organization_id=org_b.pk))
    request.refresh_from_db()
    assert request.outcome == RepostRequest.Outcome.PENDING and request.outcome_at is None
