"""A small organization shaped to exercise the anonymity rules.

Everyone (acme-test): Sales 6 (of which Sales East 5), Marketing 2, Engineering 7.
With a threshold of 5: Marketing is hidden (2 < 5); everyone − Sales − Engineering
would expose Marketing, so the smaller visible sibling (Sales, 6) is hidden too;
Sales East (5) is a sub-group of hidden Sales, and Sales − Sales East = 1 would
leak, so East is hidden as well.
"""

import pytest

from advocacy.tenancy.models import Role
from tests.isolation.actors import (  # noqa: F401  (autouse: arrange as the system, hash fast)
    fast_password_hashing,
    test_body_acts_as_system,
)

from .factories import answer, close, make_people, make_survey, make_team, open_round


@pytest.fixture
def teams(org_a):
    sales = make_team(org_a, "Sales")
    return {
        "sales": sales,
        "east": make_team(org_a, "Sales East", parent=sales),
        "marketing": make_team(org_a, "Marketing"),
        "engineering": make_team(org_a, "Engineering"),
    }


@pytest.fixture
def people(org_a, teams):
    return {
        "sales": make_people(org_a, teams["sales"], 1),
        "east": make_people(org_a, teams["east"], 5),
        "marketing": make_people(org_a, teams["marketing"], 2),
        "engineering": make_people(org_a, teams["engineering"], 7),
    }


@pytest.fixture
def sales_manager(org_a, teams, member_factory):
    return member_factory(org_a, Role.MANAGER, team=teams["sales"])


@pytest.fixture
def closed_round(org_a, people, django_capture_on_commit_callbacks):
    """An engagement pulse everyone answered; eNPS: Engineering all 10, others 3."""
    survey = make_survey(org_a, template="engagement")
    with django_capture_on_commit_callbacks(execute=True):
        round = open_round(survey)
    for group, members in people.items():
        for index, member in enumerate(members):
            answer(
                round,
                member,
                enps=10 if group == "engineering" else 3,
                comment=f"{group} comment {index}",
            )
    return close(round)
