"""The recognition pages: every role gets what it may see, lists stay at a bounded number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from advocacy.tenancy.models import Role
from recognition.models import Redemption, ShoutOut
from recognition.services import comment_add, reaction_toggle, reward_redeem, shoutout_send

from .factories import RewardFactory, give_points

pytestmark = pytest.mark.django_db


def page(org, name, **kwargs):
    return reverse(f"recognition:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def colleague(org_a, member_factory):
    return member_factory(org_a)


@pytest.mark.parametrize("name", ["feed", "me", "leaderboards", "rewards", "awards", "summary"])
@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.ADMIN])
def test_member_pages_open_for_every_role(web, org_a, member_factory, name, role):
    assert web.as_member(member_factory(org_a, role)).get(page(org_a, name)).status_code == 200


@pytest.mark.parametrize(
    "name", ["admin", "liability", "reward_new", "settings", "adjust", "newsletter", "summary_csv"]
)
def test_admin_pages_are_for_admins_only(web, org_a, member_factory, name):
    assert (
        web.as_member(member_factory(org_a, Role.EMPLOYEE)).get(page(org_a, name)).status_code
        == 403
    )
    assert (
        web.as_member(member_factory(org_a, Role.ADMIN)).get(page(org_a, name)).status_code == 200
    )


def test_thank_you_page_is_for_leaders(web, org_a, member_factory):
    assert web.as_member(member_factory(org_a)).get(page(org_a, "leaders")).status_code == 403
    assert (
        web.as_member(member_factory(org_a, Role.MANAGER)).get(page(org_a, "leaders")).status_code
        == 200
    )
    assert (
        web.as_member(member_factory(org_a, is_executive=True))
        .get(page(org_a, "leaders"))
        .status_code
        == 200
    )


def test_feed_queries_do_not_grow_with_items(
    web, org_a, employee_a, member_factory, django_assert_max_num_queries
):
    people = [member_factory(org_a) for _ in range(4)]
    for index, person in enumerate(people):
        shoutout = shoutout_send(
            organization=org_a, sender=person, recipient=employee_a, message=f"Thanks {index}"
        )

        reaction_toggle(organization=org_a, shoutout=shoutout, membership=employee_a, emoji="clap")
        comment_add(organization=org_a, shoutout=shoutout, author=employee_a, text="🙏")
    client = web.as_member(employee_a)
    with django_assert_max_num_queries(25):
        response = client.get(page(org_a, "feed"))
    assert response.content.decode().count('data-testid="feed-item"') == 4


def test_leaderboard_queries_do_not_grow_with_people(
    web, org_a, admin_a, member_factory, django_assert_max_num_queries
):
    for _ in range(12):
        give_points(member_factory(org_a), 10)
    client = web.as_member(admin_a)
    for segment in ("people", "team"):
        with django_assert_max_num_queries(15):
            assert (
                client.get(
                    page(org_a, "leaderboards"), {"segment": segment, "period": "all"}
                ).status_code
                == 200
            )


def test_sending_a_shout_out_from_the_feed_page(web, employee_a, colleague):
    org = employee_a.organization
    response = web.as_member(employee_a).post(
        page(org, "feed"), {"recipient": colleague.pk, "message": "You rock"}
    )
    assert response.status_code == 302
    assert ShoutOut.objects.get().recipient == colleague


def test_a_shout_out_to_someone_of_another_org_is_refused_on_the_page(web, employee_a, admin_b):
    response = web.as_member(employee_a).post(
        page(employee_a.organization, "feed"), {"recipient": admin_b.pk, "message": "Hi"}
    )
    assert response.status_code == 400
    assert not ShoutOut.objects.exists()


def test_reacting_with_htmx_returns_the_updated_item(web, employee_a, colleague):
    org = employee_a.organization
    shoutout = shoutout_send(
        organization=org, sender=colleague, recipient=employee_a, message="Nice"
    )
    response = web.as_member(employee_a).post(
        page(org, "react", pk=shoutout.pk), {"emoji": "party"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()


def test_another_orgs_shout_out_and_redemption_are_404_on_pages(
    web, admin_a, org_b, admin_b, member_factory
):
    other = member_factory(org_b)
    give_points(other, 100)
    shoutout = shoutout_send(organization=org_b, sender=admin_b, recipient=other, message="x")
    redemption = reward_redeem(
        organization=org_b,
        membership=other,
        reward=RewardFactory(organization=org_b, cost_points=10),
    )
    client = web.as_member(admin_a)
    org = admin_a.organization
    assert client.post(page(org, "react", pk=shoutout.pk), {"emoji": "clap"}).status_code == 404
    assert (
        client.post(page(org, "redemption_decide", pk=redemption.pk, decision="reject")).status_code
        == 404
    )
    assert client.get(page(org, "profile", pk=other.pk)).status_code == 404
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.REQUESTED
    assert not shoutout.reactions.exists()


def test_admin_exports_review_summaries_as_csv(web, admin_a, employee_a):
    give_points(employee_a, 10)
    today = datetime.date.today()
    response = web.as_member(admin_a).get(
        page(admin_a.organization, "summary_csv"),
        {"start": today - datetime.timedelta(days=30), "end": today + datetime.timedelta(days=2)},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Name"
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[employee_a.user.email][rows[0].index("Points earned")] == "10"
    bad = web.as_member(admin_a).get(
        page(admin_a.organization, "summary_csv"), {"start": "2024-02-01", "end": "2024-01-01"}
    )
    assert bad.status_code == 400


def test_csv_neutralizes_formulas_in_names(web, admin_a, org_a, member_factory):
    person = member_factory(org_a)
    person.user.name = '=HYPERLINK("http://evil")'
    person.user.save()
    body = web.as_member(admin_a).get(page(org_a, "summary_csv")).content.decode()
    assert "'=HYPERLINK" in body


def test_an_employee_sees_only_their_own_summary(web, employee_a, colleague):
    give_points(colleague, 77)
    response = web.as_member(employee_a).get(
        page(employee_a.organization, "summary"), {"membership": colleague.pk}
    )
    assert str(employee_a.user) in response.content.decode()
    assert response.context["row"]["points"] == 0


def test_preferences_opt_out_of_public_boards(web, employee_a):
    org = employee_a.organization
    give_points(employee_a, 10)
    client = web.as_member(employee_a)
    client.post(page(org, "me"), {"receive_newsletter": "on"})
    board = client.get(page(org, "leaderboards"), {"period": "all"})
    assert board.context["hidden"] is True
    assert board.context["board"].rows == []


def test_an_admin_sees_no_approve_button_on_their_own_request_and_approving_it_is_refused(
    web, admin_a, employee_a
):
    org = admin_a.organization
    reward = RewardFactory(organization=org, cost_points=10)
    give_points(admin_a, 10)
    give_points(employee_a, 10)
    own = reward_redeem(organization=org, membership=admin_a, reward=reward)
    theirs = reward_redeem(organization=org, membership=employee_a, reward=reward)
    client = web.as_member(admin_a)
    html = client.get(page(org, "admin")).content.decode()
    approve = page(org, "redemption_decide", pk=theirs.pk, decision="approve")
    assert approve in html  # a colleague's request: the form approves it
    assert page(org, "redemption_decide", pk=own.pk, decision="approve") in html  # reject shares it
    assert html.count('data-testid="own-request"') == 1
    assert html.count(">Approve</button>") == 1

    response = client.post(
        page(org, "redemption_decide", pk=own.pk, decision="approve"), follow=True
    )
    assert "needs another admin" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Redemption.Status.REQUESTED
