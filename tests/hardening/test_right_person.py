"""Ids in a request belong to the right person, not only to the right organization."""

from decimal import Decimal

import pytest

from campaigns.models import Repost
from recognition.models import RepostRequest, Reward
from recognition.services import budget_set, repost_answer, reward_save, thanks_post
from social.models import Publication
from tests.campaigns.factories import ShareFactory

pytestmark = pytest.mark.django_db


def test_a_repost_of_someone_elses_share_is_refused_even_with_consent(
    org_a, admin_a, employee_a, member_factory, django_capture_on_commit_callbacks
):
    """The attacker: a leader asks employee A to "consent" to reposting B's share."""
    owner = member_factory(org_a)
    share = ShareFactory(organization=org_a, membership=owner)
    thanks_post(
        organization=org_a,
        sender=admin_a,
        recipient=employee_a,
        message="Great post!",
        share_id=share.pk,
        request_repost=True,
    )
    request = RepostRequest.objects.get(share_id=share.pk)
    with django_capture_on_commit_callbacks(execute=True):
        repost_answer(organization=org_a, request=request, membership=employee_a, consent=True)
    repost = Repost.objects.get(repost_request_id=request.pk)
    assert repost.status == Repost.Status.FAILED and repost.publication_id is None
    assert "Only the advocate who shared" in repost.error
    assert not Publication.objects.filter(idempotency_key=f"repost:{request.pk}").exists()
    request.refresh_from_db()
    assert request.outcome == RepostRequest.Outcome.FAILED


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "Mug", "cost_points": 10, "value": "-5.00"}, "value"),
        ({"name": "Mug", "cost_points": -1}, "cost_points"),
        ({"name": "Mug", "cost_points": 0}, "cost_points"),
        ({"name": "Mug", "cost_points": 10, "stock": -3}, "stock"),
        ({"name": "Mug", "cost_points": 10, "value": "1e20"}, "value"),
    ],
)
def test_reward_values_cannot_be_negative_or_absurd(api, org_a, admin_a, body, field):
    response = api.as_member(admin_a).post(
        f"/api/v1/orgs/{org_a.slug}/recognition/rewards/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in str(response.json())
    assert not Reward.objects.exists()


def test_an_update_cannot_make_a_reward_negative(api, org_a, admin_a):
    client = api.as_member(admin_a)
    created = client.post(
        f"/api/v1/orgs/{org_a.slug}/recognition/rewards/",
        {"name": "Mug", "cost_points": 10, "value": "5.00"},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/orgs/{org_a.slug}/recognition/rewards/{created.json()['id']}/"
    assert client.patch(url, {"value": "-1"}, format="json").status_code == 400
    assert Reward.objects.get().value == Decimal("5.00")


def test_the_reward_service_refuses_a_negative_value_whoever_calls_it(org_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        reward_save(organization=org_a, name="Mug", cost_points=5, value=Decimal("-1"))
    assert "value" in error.value.message_dict
    assert not Reward.objects.exists()


def test_budgets_stay_non_negative_and_bounded(org_a):
    import datetime

    from django.core.exceptions import ValidationError

    from recognition.models import RewardBudget

    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    for amount in (Decimal("-1"), Decimal("1e12")):
        with pytest.raises(ValidationError):
            budget_set(organization=org_a, period_start=start, period_end=end, amount=amount)
    assert not RewardBudget.objects.exists()
