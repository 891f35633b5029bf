"""Engagement polling throughput against the sandbox network: posts read and stored
per second by one worker, and rate-limit breaches (429s the network had to send).

On a throwaway database (SQLite in memory, or `bench_<name>` on PostgreSQL when
DATABASE_URL says so) and an in-process sandbox: advocates with X and Bluesky
accounts (tokens minted by the sandbox, as its OAuth pages would), thousands of
their posts, one poll schedule per share. The real scheduler claims the due rows
and the real `poll_batch` reads them (X 100 posts a call, Bluesky 25) through the
shared rate-limit buckets and stores snapshots, rollups and share counters.
Goal: >= 500 posts/s per worker, 0 breaches. BENCH_POLL_POSTS sets the size (6000).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
POSTS = int(os.environ.get("BENCH_POLL_POSTS", "6000"))
GOAL = 500.0
NETWORKS = {"x": 30}  # accounts per network (X reads 100 posts a call)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")
    os.environ.setdefault("CHORUS_TESTING", "1")
    django.setup()
    from django.db import connection

    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        None
        if connection.vendor == "sqlite"
        else f"bench_polling_{connection.settings_dict['NAME']}"
    )
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _run()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _run() -> None:
    from django.conf import settings
    from django.db import connection

    from advocacy.accounts.models import User
    from advocacy.tenancy.context import org_context
    from advocacy.tenancy.models import Membership, Organization
    from analytics.engagement.polling import claim_due, poll_batch
    from analytics.models import MetricSnapshot, PollSchedule
    from campaigns.models import Share
    from content_library.models import ContentItem
    from social import limits
    from social.providers.base import Profile, TokenSet
    from social.providers.registry import sandbox_config
    from social.sandbox.state import Post
    from social.sandbox.testing import run_sandbox
    from social.services import connection_save

    with run_sandbox() as sandbox:
        settings.SANDBOX_URL = sandbox.base_url
        settings.SOCIAL_PROVIDERS = {}
        limits.reset()
        state = sandbox.app.state
        breaches = {"count": 0}
        for network in sandbox.app.networks.values():
            original = network.rate_limited

            def counted(limit, reset, original=original):
                breaches["count"] += 1
                return original(limit, reset)

            network.rate_limited = counted

        organization = Organization.objects.create(name="Polling bench", slug="polling-bench")
        now = dt.datetime.now(dt.UTC)
        with org_context(organization):
            content = ContentItem.objects.create(
                organization=organization, title="Bench", status="approved"
            )
            accounts = []
            for network, count in NETWORKS.items():
                for i in range(count):
                    handle = f"{network}{i}"
                    user = User.objects.create(email=f"{handle}@polling.bench", password="!")
                    member = Membership.objects.create(organization=organization, user=user)
                    config = sandbox_config(network, sandbox.base_url)
                    # What the sandbox's consent page would hand out, minted directly.
                    token = state.issue_token(
                        network, "access", handle, config.client_id, config.scopes, 7200
                    )
                    tokens = TokenSet(
                        access_token=token.value,
                        expires_at=now + dt.timedelta(hours=2),
                        scopes=config.scopes,
                    )
                    connection_ = connection_save(
                        organization=organization,
                        membership=member,
                        network=network,
                        token=tokens,
                        profile=Profile(f"id-{handle}", handle, handle, 1000, ""),
                    )
                    accounts.append((network, handle, member, connection_))
            shares, schedules = [], []
            per_account = POSTS // len(accounts)
            created_at = state.clock.now() - 3600
            for number, (network, handle, member, connection_) in enumerate(accounts):
                for n in range(per_account):
                    post_id = _post_id(number, n)
                    state.add_post(Post(network, post_id, handle, f"post {n}", None, created_at))
                    shares.append(
                        Share(
                            organization=organization,
                            membership=member,
                            content=content,
                            channel=network,
                            connection=connection_,
                            text="bench",
                            status="published",
                            published_at=now - dt.timedelta(hours=1),
                            followers_at_share=1000,
                        )
                    )
            Share.objects.bulk_create(shares, batch_size=2000)
            account_number = {a[3].pk: number for number, a in enumerate(accounts)}
            posted: dict[int, int] = {}
            for share in shares:
                index = posted[share.connection_id] = posted.get(share.connection_id, -1) + 1
                schedules.append(
                    PollSchedule(
                        organization=organization,
                        share=share,
                        connection_id=share.connection_id,
                        network=share.channel,
                        external_id=_post_id(account_number[share.connection_id], index),
                        published_at=share.published_at,
                        next_poll_at=now - dt.timedelta(minutes=1),
                    )
                )
            PollSchedule.objects.bulk_create(schedules, batch_size=2000)

        rounds = []
        for round_number in range(2):
            moment = now + dt.timedelta(hours=round_number)
            started = time.perf_counter()
            stored = 0
            batches = claim_due(now=moment)
            with org_context(organization):
                for _org, connection_id, ids in batches:
                    stored += poll_batch(
                        organization=organization,
                        connection_id=connection_id,
                        schedule_ids=ids,
                        now=moment,
                    )["stored"]
            elapsed = time.perf_counter() - started
            rounds.append(
                {
                    "posts": stored,
                    "seconds": elapsed,
                    "posts_per_s": stored / elapsed,
                    "batches": len(batches),
                }
            )
            PollSchedule.objects.filter(organization=organization).update(
                next_poll_at=moment + dt.timedelta(minutes=59)
            )
            state.clock.advance(3600)
        with org_context(organization):
            snapshots = MetricSnapshot.objects.for_org(organization).count()

    for number, entry in enumerate(rounds, 1):
        print(
            f"round {number}: {entry['posts']} posts in {entry['batches']} batches, {entry['seconds']:.2f} s "
            f"= {entry['posts_per_s']:,.0f} posts/s per worker"
        )
    print(
        f"snapshots stored: {snapshots}; rate-limit breaches (429s from the network): {breaches['count']} "
        f"({connection.vendor})"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"polling-{stamp}.json").write_text(
        json.dumps(
            {
                "vendor": connection.vendor,
                "posts": POSTS,
                "rounds": rounds,
                "breaches": breaches["count"],
            },
            indent=2,
        )
    )
    worst = min(entry["posts_per_s"] for entry in rounds)
    if breaches["count"] or worst < GOAL or any(entry["posts"] == 0 for entry in rounds):
        raise SystemExit(
            f"FAIL: {worst:,.0f} posts/s (goal {GOAL:.0f}), {breaches['count']} breaches"
        )


def _post_id(account: int, n: int) -> str:
    return str(1_900_000_000_000_000_000 + account * 100_000 + n)


if __name__ == "__main__":
    main()
