"""A person who deletes their account leaves their survey answers behind, still
unlinkable: the round's results (what admins see, and the CSV export) are the same
before and after, and nothing in the answers points at the person."""

import pytest

from advocacy.privacy.services import account_delete
from surveys import selectors
from surveys.models import Answer, Response
from tests.surveys.conftest import (  # noqa: F401  (the crafted organization of the survey tests)
    closed_round,
    fast_password_hashing,
    people,
    teams,
    test_body_acts_as_system,
)

pytestmark = pytest.mark.django_db


def _what_admins_see(round, admin):
    organization = admin.organization
    return (
        selectors.round_results(organization=organization, round=round, viewer=admin),
        list(selectors.results_export_rows(organization=organization, round=round, viewer=admin)),
        sorted(Response.objects.for_org(organization).filter(round=round).values_list("pk")),
        sorted(
            Answer.objects.for_org(organization).values_list("pk", "number", "selected", "text")
        ),
    )


def test_survey_answers_stay_and_stay_unlinkable_after_the_account_is_deleted(
    closed_round,  # noqa: F811
    admin_a,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    before = _what_admins_see(closed_round, admin_a)
    leaving = people["engineering"][0]
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=leaving.user, confirm_email=leaving.user.email)
    after = _what_admins_see(closed_round, admin_a)
    assert after == before
    assert before[0].groups and before[2]  # there was something to compare
    # Responses and answers carry no person: nothing to follow back to the deleted account.
    for model in (Response, Answer):
        assert not [
            f.name
            for f in model._meta.fields
            if f.related_model and f.related_model.__name__ == "Membership"
        ]
