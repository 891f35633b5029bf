"""Sealed answers in Redis, and Redis failing: an answer that cannot be kept safely is
refused as a whole (no participation, no points), with a clear message, and the
person may try again; answers already sealed survive to the close.

Runs against the real Redis of the machine behind a `TcpProxy` (db 6 unless
REDIS_URL names another), whatever the database is."""

from __future__ import annotations

import json
import os
import uuid
from urllib.parse import urlparse

import pytest
import redis
from django.urls import reverse

from surveys import sealed, services
from surveys.models import Participation, Response
from tests.faults.tcp_proxy import TcpProxy

from .factories import answer, close, make_survey, open_round

pytestmark = pytest.mark.django_db

REAL_REDIS = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6")


@pytest.fixture
def proxied_redis(settings):
    with TcpProxy(REAL_REDIS.hostname or "127.0.0.1", REAL_REDIS.port or 6379) as proxy:
        settings.REDIS_URL = f"redis://127.0.0.1:{proxy.port}{REAL_REDIS.path or '/6'}"
        # Its own key space: other runs on the same Redis keep theirs.
        settings.CHORUS_SEALED_PREFIX = prefix = f"test:sealed:{uuid.uuid4().hex}"
        yield proxy
    sealed._clients.clear()
    direct = redis.Redis.from_url(
        f"redis://{REAL_REDIS.hostname}:{REAL_REDIS.port}{REAL_REDIS.path or '/6'}"
    )
    for key in direct.scan_iter(f"{prefix}:*"):  # rounds this test left open
        direct.delete(key)


def test_answers_wait_in_an_unordered_redis_set_until_close(proxied_redis, org_a, member_factory):
    round = open_round(make_survey(org_a, template="enps"))
    people = [member_factory(org_a) for _ in range(3)]
    for index, person in enumerate(people):
        answer(round, person, enps=index, comment=f"note {index}")
    client = redis.Redis.from_url(
        f"redis://{REAL_REDIS.hostname}:{REAL_REDIS.port}{REAL_REDIS.path or '/6'}"
    )
    key = sealed._key(round)
    assert client.type(key) == b"set" and client.scard(key) == 3
    assert not Response.objects.exists()
    # Nothing about the person or the moment: a random nonce, the team key, the answers.
    assert {tuple(sorted(json.loads(m))) for m in client.smembers(key)} == {
        ("answers", "nonce", "team")
    }
    close(round)
    assert Response.objects.filter(round=round).count() == 3
    assert not client.exists(key)


@pytest.mark.parametrize("fault", ["refuse", "hang"])
def test_redis_down_refuses_the_answer_as_a_whole_and_nothing_is_recorded(
    proxied_redis, org_a, member_factory, web, fault
):
    round = open_round(make_survey(org_a, template="enps"))
    early, late = member_factory(org_a), member_factory(org_a)
    answer(round, early, enps=9)
    getattr(proxied_redis, fault)()
    with pytest.raises(services.AnswersUnavailable):
        answer(round, late, enps=2)
    assert list(Participation.objects.values_list("membership_id", flat=True)) == [early.pk]
    page = web.as_member(late).post(
        reverse("surveys:answer", kwargs={"org_slug": org_a.slug, "pk": round.pk}),
        {f"q{q.pk}": "2" for q in round.survey.questions.filter(kind="scale10")},
    )
    assert page.status_code == 503 and "nothing was recorded" in page.content.decode()
    assert not Participation.objects.filter(membership=late).exists()
    proxied_redis.forward()
    sealed._clients.clear()  # a hung connection is not reused
    answer(round, late, enps=2)  # trying again works
    close(round)
    assert Response.objects.filter(round=round).count() == 2
