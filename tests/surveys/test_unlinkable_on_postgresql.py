"""The database attacker: a superuser with full access to PostgreSQL (and the knowledge
of who answered, and in which order) tries to join participations to answers by every
system column, order and time the database keeps, and fails.

Needs PostgreSQL (system columns are PostgreSQL's); CI runs it with DATABASE_URL and
REDIS_URL set. Transactions really commit here (`transaction=True`): inside one test
transaction every row would share an xmin and the test would prove nothing.
"""

import pytest
from django.conf import settings
from django.db import connection

from advocacy.tenancy import rls
from surveys import sealed
from surveys.models import Participation, Response

from .factories import answer, close, make_survey, open_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="system columns are PostgreSQL's"),
]

PEOPLE = 9


def _as_superuser(sql: str, params=()) -> list[tuple]:
    with rls.owner_role(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0], "the attacker must be a database superuser"
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.fixture
def answered(org_a, member_factory):
    """Nine people answer one after another, each in their own committed transaction;
    each writes a comment only the attacker's ground truth can tie to them."""
    survey = make_survey(org_a, template="enps")
    round = open_round(survey)
    people = [member_factory(org_a) for _ in range(PEOPLE)]
    _enps, why = survey.questions.order_by("position")
    for index, person in enumerate(people):
        answer(round, person, enps=index % 11, comment=f"secret of person {index}")
    round = close(round)
    truth = {person.pk: f"secret of person {index}" for index, person in enumerate(people)}
    return round, truth, why


def _comment_by_response(why) -> dict[int, str]:
    rows = _as_superuser(
        "SELECT response_id, text FROM surveys_answer WHERE question_id = %s", [why.pk]
    )
    return dict(rows)


def _zip_guess(participations: list[tuple], responses: list[tuple], comments) -> dict:
    """The attacker's guess: the i-th participation by some order is the i-th response."""
    return {
        membership: comments.get(response)
        for (membership, *_p), (response, *_r) in zip(participations, responses, strict=True)
    }


def test_answers_share_no_transaction_and_no_command_with_any_participation(answered):
    round, _truth, _why = answered
    participation_xmins = {
        row[0]
        for row in _as_superuser(
            "SELECT xmin::text FROM surveys_participation WHERE round_id = %s", [round.pk]
        )
    }
    response_xmins = _as_superuser(
        "SELECT DISTINCT xmin::text, cmin::text FROM surveys_response WHERE round_id = %s",
        [round.pk],
    )
    answer_xmins = _as_superuser(
        "SELECT DISTINCT a.xmin::text, a.cmin::text FROM surveys_answer a "
        "JOIN surveys_response r ON r.id = a.response_id WHERE r.round_id = %s",
        [round.pk],
    )
    assert len(participation_xmins) == PEOPLE  # each person committed on their own
    # All responses were written by one command of one transaction, all answers by one
    # more: nothing to sort or group them by, and no transaction shared with a person.
    assert len(response_xmins) == 1 and len(answer_xmins) == 1
    assert response_xmins[0][0] == answer_xmins[0][0]
    assert response_xmins[0][0] not in participation_xmins


def test_no_order_of_the_rows_zips_participations_with_answers(answered):
    round, truth, why = answered
    comments = _comment_by_response(why)
    orders = {
        "physical order (ctid)": "ctid",
        "id": "id",
        "transaction (xmin)": "xmin::text::bigint",
        "command (cmin)": "cmin::text::bigint, ctid",
    }
    participations_by = {
        name: _as_superuser(
            f"SELECT membership_id FROM surveys_participation WHERE round_id = %s ORDER BY {order}",
            [round.pk],
        )
        for name, order in orders.items()
    }
    responses_by = {
        name: _as_superuser(
            f"SELECT id FROM surveys_response WHERE round_id = %s ORDER BY {order}", [round.pk]
        )
        for name, order in orders.items()
    }
    for p_name, participations in participations_by.items():
        for r_name, responses in responses_by.items():
            guess = _zip_guess(participations, responses, comments)
            right = sum(guess[m] == truth[m] for m in truth)
            # 9 people: a random pairing gets all right with odds of 1 in 362,880.
            assert right < PEOPLE, f"{p_name} × {r_name} re-identified everyone"


def test_no_time_is_kept_for_answers_and_no_buffer_is_left(answered):
    round, _truth, _why = answered
    columns = _as_superuser(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_name IN ('surveys_response', 'surveys_answer', 'surveys_participation')"
    )
    assert not [c for c in columns if "time" in c[2] or "date" in c[2]], columns
    # If the server keeps commit times, every answer has the same one: the close.
    if _as_superuser("SHOW track_commit_timestamp")[0][0] == "on":
        times = _as_superuser(
            "SELECT DISTINCT pg_xact_commit_timestamp(xmin) FROM surveys_response "
            "WHERE round_id = %s",
            [round.pk],
        )
        assert len(times) == 1
    assert not _as_superuser("SELECT count(*) FROM surveys_sealedanswers")[0][0]
    if settings.REDIS_URL:
        assert not sealed._client().exists(sealed._key(round))
    assert Response.objects.filter(round=round).count() == PEOPLE
    assert Participation.objects.filter(round=round).count() == PEOPLE


def test_while_the_round_runs_answers_are_not_in_the_database_at_all(org_a, member_factory):
    if not settings.REDIS_URL:
        pytest.skip("without Redis the laptop fallback keeps sealed answers in the database")
    round = open_round(make_survey(org_a, template="enps"))
    answer(round, member_factory(org_a), enps=3, comment="written at close only")
    rows = _as_superuser(
        "SELECT (SELECT count(*) FROM surveys_response) + (SELECT count(*) FROM surveys_answer)"
        " + (SELECT count(*) FROM surveys_sealedanswers)"
    )
    assert rows[0][0] == 0
    close(round)
