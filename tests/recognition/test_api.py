"""The recognition API: roles, bad input, and the two-organization case for every endpoint."""

import pytest

from advocacy.tenancy.models import Role
from recognition.models import GamingFlag, PointEntry, Reaction, Redemption, Reward, ShoutOut
from recognition.selectors import balance_get
from recognition.services import reward_redeem, shoutout_send

from .factories import RewardFactory, give_points

pytestmark = pytest.mark.django_db


def url(org, path):
    return f"/api/v1/orgs/{org.slug}/recognition/{path}"


@pytest.fixture
def colleague(org_a, member_factory):
    return member_factory(org_a)


def test_employee_sends_a_shout_out_and_reacts(api, employee_a, colleague):
    org = employee_a.organization
    client = api.as_member(employee_a)
    response = client.post(
        url(org, "shoutouts/"), {"recipient": colleague.pk, "message": "Thanks!"}, format="json"
    )
    assert response.status_code == 201, response.content
    shoutout_id = response.json()["id"]
    assert client.post(
        url(org, f"shoutouts/{shoutout_id}/react/"), {"emoji": "heart"}, format="json"
    ).json() == {
        "emoji": "heart",
        "reacted": True,
    }
    assert (
        client.post(
            url(org, f"shoutouts/{shoutout_id}/comment/"), {"text": "🎉"}, format="json"
        ).status_code
        == 201
    )
    listed = client.get(url(org, "shoutouts/")).json()["results"]
    assert listed[0]["reactions"] == {"heart": 1} and listed[0]["comments"][0]["text"] == "🎉"
    assert balance_get(organization=org, membership=colleague) == 5


def test_shout_out_to_oneself_or_to_another_orgs_member_is_a_400_and_writes_nothing(
    api, employee_a, admin_b
):
    client = api.as_member(employee_a)
    org = employee_a.organization
    for recipient in (employee_a.pk, admin_b.pk):
        response = client.post(
            url(org, "shoutouts/"), {"recipient": recipient, "message": "Hi"}, format="json"
        )
        assert response.status_code == 400
    assert not ShoutOut.objects.exists() and not PointEntry.objects.exists()


def test_redeem_then_admin_approves_and_liability_changes(api, employee_a, admin_a):
    org = employee_a.organization
    reward = RewardFactory(organization=org, cost_points=40, stock=3)
    give_points(employee_a, 100)
    before = api.as_member(admin_a).get(url(org, "liability/")).json()
    client = api.as_member(employee_a)
    redeemed = client.post(url(org, f"rewards/{reward.pk}/redeem/"))
    assert redeemed.status_code == 201
    assert client.post(url(org, f"redemptions/{redeemed.json()['id']}/approve/")).status_code == 403
    admin = api.as_member(admin_a)
    approved = admin.post(
        url(org, f"redemptions/{redeemed.json()['id']}/approve/"), {"note": "Enjoy"}, format="json"
    )
    assert approved.json()["status"] == "approved"
    after = admin.get(url(org, "liability/")).json()
    assert (before["points"], after["points"]) == (100, 60)
    assert after["rewards_cost_this_month"] == "10.00"


def test_redeeming_beyond_the_balance_is_a_clear_400(api, employee_a):
    reward = RewardFactory(organization=employee_a.organization, cost_points=500)
    response = api.as_member(employee_a).post(
        url(employee_a.organization, f"rewards/{reward.pk}/redeem/")
    )
    assert response.status_code == 400
    assert "500" in str(response.json())
    assert not Redemption.objects.exists()


def test_admin_adjusts_points_and_bad_adjustments_are_refused(api, admin_a, employee_a):
    org = admin_a.organization
    client = api.as_member(admin_a)
    ok = client.post(
        url(org, "ledger/adjust/"),
        {"membership": employee_a.pk, "points": 30, "reason": "Event"},
        format="json",
    )
    assert ok.status_code == 201
    for bad in (
        {"points": 0, "reason": "x"},
        {"points": 10**9, "reason": "x"},
        {"points": -31, "reason": "x"},
    ):
        response = client.post(
            url(org, "ledger/adjust/"), {"membership": employee_a.pk, **bad}, format="json"
        )
        assert response.status_code == 400
    assert balance_get(organization=org, membership=employee_a) == 30
    assert (
        api.as_member(employee_a)
        .post(
            url(org, "ledger/adjust/"),
            {"membership": employee_a.pk, "points": 5, "reason": "me"},
            format="json",
        )
        .status_code
        == 403
    )


def test_employees_see_only_their_own_ledger_and_redemptions(api, employee_a, colleague):
    give_points(employee_a, 10)
    give_points(colleague, 20)
    rows = api.as_member(employee_a).get(url(employee_a.organization, "ledger/")).json()["results"]
    assert [row["points"] for row in rows] == [10]
    assert (
        api.as_member(employee_a)
        .get(url(employee_a.organization, "ledger/balance/"))
        .json()["points"]
        == 10
    )


def test_leaderboard_and_summary_endpoints(api, employee_a, admin_a):
    give_points(employee_a, 10)
    org = employee_a.organization
    board = api.as_member(employee_a).get(url(org, "leaderboard/?period=all&segment=people")).json()
    assert board["rows"][0]["membership"] == employee_a.pk
    summary = (
        api.as_member(employee_a).get(url(org, "summary/?start=2020-01-01&end=2100-01-01")).json()
    )
    assert summary["points"] == 10
    assert api.as_member(employee_a).get(url(org, "summary/?start=bad")).status_code == 400


def test_only_admins_manage_rewards_and_flags(api, employee_a, admin_a):
    org = employee_a.organization
    payload = {"name": "Hoodie", "kind": "swag", "cost_points": 300, "value": "25.00", "stock": 10}
    assert (
        api.as_member(employee_a).post(url(org, "rewards/"), payload, format="json").status_code
        == 403
    )
    created = api.as_member(admin_a).post(url(org, "rewards/"), payload, format="json")
    assert created.status_code == 201
    assert (
        api.as_member(admin_a)
        .post(url(org, "rewards/"), {**payload, "cost_points": 0}, format="json")
        .status_code
        == 400
    )
    assert api.as_member(employee_a).get(url(org, "flags/")).status_code == 403


# --- two organizations: act in org A on org B's objects -> 404 and nothing changed ---------


@pytest.fixture
def foreign(org_b, admin_b, member_factory):
    other = member_factory(org_b)
    give_points(other, 500)
    shoutout = shoutout_send(organization=org_b, sender=admin_b, recipient=other, message="Theirs")
    reward = RewardFactory(organization=org_b, cost_points=10, stock=1)
    redemption_client_member = other

    redemption = reward_redeem(
        organization=org_b, membership=redemption_client_member, reward=reward
    )
    flag = GamingFlag.objects.create(
        organization=org_b, kind=GamingFlag.Kind.QUICK_DELETE, membership=other
    )
    return {
        "shoutout": shoutout,
        "reward": reward,
        "redemption": redemption,
        "flag": flag,
        "member": other,
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "shoutouts/{shoutout}/"),
        ("post", "shoutouts/{shoutout}/react/"),
        ("post", "shoutouts/{shoutout}/comment/"),
        ("get", "rewards/{reward}/"),
        ("patch", "rewards/{reward}/"),
        ("post", "rewards/{reward}/redeem/"),
        ("get", "redemptions/{redemption}/"),
        ("post", "redemptions/{redemption}/approve/"),
        ("post", "redemptions/{redemption}/reject/"),
        ("post", "flags/{flag}/confirm/"),
        ("post", "flags/{flag}/dismiss/"),
    ],
)
def test_another_organizations_objects_are_404_with_no_side_effect(
    api, admin_a, foreign, method, path
):
    client = api.as_member(admin_a)
    give_points(admin_a, 1000)
    target = url(admin_a.organization, path.format(**{k: v.pk for k, v in foreign.items()}))
    payload = {"emoji": "clap", "text": "x", "name": "Pwned", "note": "x"}
    response = getattr(client, method)(target, payload, format="json")
    assert response.status_code == 404
    assert not Reaction.objects.exists()
    assert foreign["shoutout"].comments.count() == 0
    assert Reward.objects.get(pk=foreign["reward"].pk).name != "Pwned"
    assert Redemption.objects.get(pk=foreign["redemption"].pk).status == Redemption.Status.REQUESTED
    assert GamingFlag.objects.get(pk=foreign["flag"].pk).status == GamingFlag.Status.OPEN
    assert Redemption.objects.filter(membership=admin_a).count() == 0
    assert (
        balance_get(organization=foreign["member"].organization, membership=foreign["member"])
        == 495
    )


def test_org_a_lists_never_show_org_b_rows(api, admin_a, foreign):
    client = api.as_member(admin_a)
    org = admin_a.organization
    for path in ("shoutouts/", "rewards/", "redemptions/", "flags/", "ledger/"):
        assert client.get(url(org, path)).json()["results"] == [], path


def test_a_shout_out_or_adjustment_referencing_org_b_people_reads_like_a_missing_one(
    api, admin_a, foreign
):
    client = api.as_member(admin_a)
    org = admin_a.organization
    response = client.post(
        url(org, "shoutouts/"), {"recipient": foreign["member"].pk, "message": "x"}, format="json"
    )
    missing = client.post(
        url(org, "shoutouts/"), {"recipient": 987654, "message": "x"}, format="json"
    )
    assert response.status_code == missing.status_code == 400
    # A problem document naming the field, identical for a foreign id and a missing one.
    body, missing_body = response.json(), missing.json()
    assert set(body) == set(missing_body)
    assert "recipient" in body["errors"]
    assert body["errors"]["recipient"] == [
        f'Invalid pk "{foreign["member"].pk}" - object does not exist.'
    ]
    adjust = client.post(
        url(org, "ledger/adjust/"),
        {"membership": foreign["member"].pk, "points": 5, "reason": "x"},
        format="json",
    )
    assert adjust.status_code == 400
    assert (
        balance_get(organization=foreign["member"].organization, membership=foreign["member"])
        == 495
    )


def test_a_token_of_org_a_cannot_read_org_bs_recognition(
    api, admin_a, org_b, member_factory, foreign
):
    member_factory(org_b, Role.ADMIN, user=admin_a.user)
    client = api.as_member(admin_a)  # token bound to org A
    assert client.get(url(org_b, "shoutouts/")).status_code == 404


def test_an_admin_approving_their_own_request_gets_a_400_and_it_stays_requested(api, admin_a):
    org = admin_a.organization
    reward = RewardFactory(organization=org, cost_points=40)
    give_points(admin_a, 40)
    client = api.as_member(admin_a)
    redeemed = client.post(url(org, f"rewards/{reward.pk}/redeem/")).json()
    response = client.post(url(org, f"redemptions/{redeemed['id']}/approve/"))
    assert response.status_code == 400
    assert "another admin" in str(response.json())
    assert Redemption.objects.get(pk=redeemed["id"]).status == Redemption.Status.REQUESTED
