"""Where answers wait while their round is open.

A submission writes the participation (who took part) to the database and the
answers here, sealed: an unordered set member with a random nonce, no time, no
person. At close `round_finalize` takes the whole set, shuffles it and writes the
responses in one transaction of their own, then empties the set. So nothing in
the database ties a participation to its answers: not a shared transaction
(xmin), not physical order (ctid), not an id sequence, not a time.

With Redis (production) the set is a Redis SET, which keeps no insertion order.
Without Redis (one laptop) the same payloads go to `SealedAnswers` rows, which
do share the participation's transaction until the round closes; that fallback
is for development only, like the click pipeline's.
"""

from __future__ import annotations

import json
import secrets

import redis
from django.conf import settings

from .models import RevokedSeal, Round, SealedAnswers, random_id

_clients: dict[str, redis.Redis] = {}


class SealUnavailable(Exception):
    """The answer store could not be reached; the submission must not count. A write
    that timed out may still land later, so its nonce is revoked (`revoke`)."""

    def __init__(self, message: str, nonce: str) -> None:
        super().__init__(message)
        self.nonce = nonce


def _client() -> redis.Redis | None:
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


def _key(round: Round) -> str:
    # The opening moment makes the key unique even where ids are reused (a restored
    # database, a test run); it says nothing about any answer.
    opened = int(round.opens_at.timestamp() * 1_000_000)
    prefix = getattr(settings, "CHORUS_SEALED_PREFIX", "") or "chorus:surveys:sealed"
    return f"{prefix}:{round.organization_id}:{round.pk}:{opened}"


def seal(*, round: Round, team_key: int | None, answers: dict[int, dict]) -> None:
    """Keep one response until close. Call inside the participation's transaction, so a
    failure here undoes the participation too."""
    nonce = secrets.token_hex(16)
    payload = json.dumps(
        {
            "nonce": nonce,
            "team": team_key,
            "answers": {str(qid): fields for qid, fields in answers.items()},
        },
        sort_keys=True,
    )
    client = _client()
    if client is None:
        SealedAnswers.objects.create(
            id=random_id(), organization_id=round.organization_id, round=round, payload=payload
        )
        return
    try:
        client.sadd(_key(round), payload)
    except redis.RedisError as error:
        raise SealUnavailable(str(error), nonce) from error


def revoke(*, round: Round, nonce: str) -> None:
    """After the participation was rolled back: never count this sealed response."""
    RevokedSeal.objects.create(
        id=random_id(), organization_id=round.organization_id, round=round, nonce=nonce
    )


def take(*, round: Round) -> list[dict]:
    """Every sealed response of the round, in no meaningful order."""
    client = _client()
    rows = list(
        SealedAnswers.objects.for_org(round.organization)
        .filter(round=round)
        .values_list("payload", flat=True)
    )
    if client is not None:
        try:
            rows += [member.decode() for member in client.smembers(_key(round))]
        except redis.RedisError as error:
            raise SealUnavailable(str(error), "") from error
    revoked = set(
        RevokedSeal.objects.for_org(round.organization)
        .filter(round=round)
        .values_list("nonce", flat=True)
    )
    found = []
    for row in rows:
        data = json.loads(row)
        if data["nonce"] in revoked:
            continue
        found.append(
            {
                "team": data["team"],
                "answers": {int(qid): fields for qid, fields in data["answers"].items()},
            }
        )
    return found


def discard_rows(*, round: Round) -> None:
    """Inside the transaction that wrote the responses."""
    SealedAnswers.objects.for_org(round.organization).filter(round=round).delete()
    RevokedSeal.objects.for_org(round.organization).filter(round=round).delete()


def discard_set(*, round: Round) -> None:
    """After that transaction committed. A crash before this leaves a set that the next
    finalize call (which sees the round frozen) removes."""
    client = _client()
    if client is not None:
        try:
            client.delete(_key(round))
        except redis.RedisError:
            pass  # the round is frozen: what is left is never read again; retried next time
