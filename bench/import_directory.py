"""Directory CSV import: 10,000 people with teams and a manager chain.

Runs the real import (parse, check every row, save all or nothing) on a throwaway
database (SQLite in memory, or `bench_<name>` on PostgreSQL when DATABASE_URL says
so), then imports the same file again (which must change nothing). Prints rows/s,
and the ratio to a baseline measured in the same run: bulk-inserting the same
number of bare users and memberships, the least any import has to do.
"""

from __future__ import annotations

import os
import time

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))


def _csv(rows: int) -> bytes:
    lines = ["email,name,team,manager_email,title,location,hire_date,role"]
    for i in range(rows):
        manager = f"person{(i - 1) // 10}@bench.example" if i else ""
        # Team names are unique in an organization (issue 15.2): each team sits under one division.
        team = f"Division {i % 40 % 7} / Team {i % 40}"
        lines.append(
            f"person{i}@bench.example,Person {i},{team},{manager},Title {i % 30},City {i % 12},2020-01-{1 + i % 28:02d},employee"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")
    os.environ.setdefault("CHORUS_TESTING", "1")
    django.setup()
    from django.db import connection

    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else f"bench_{connection.settings_dict['NAME']}"
    )
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _run()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _run() -> None:
    from django.db import connection, transaction

    from advocacy.accounts.models import User
    from advocacy.tenancy.context import org_context
    from advocacy.tenancy.directory_import import import_job_create, import_job_run
    from advocacy.tenancy.models import ImportJob, Membership, Organization, Role

    data = _csv(ROWS)
    organization = Organization.objects.create(name="Bench Co", slug="bench-co")
    baseline_org = Organization.objects.create(name="Baseline Co", slug="baseline-co")
    with org_context(organization):
        admin = User.objects.create_user(email="admin@bench.example")
        Membership.objects.create(organization=organization, user=admin, role=Role.ADMIN)

    # Baseline: the bare inserts any import of this many people must do.
    started = time.perf_counter()
    with org_context(baseline_org), transaction.atomic():
        users = User.objects.bulk_create(
            [User(email=f"base{i}@bench.example", password="!") for i in range(ROWS)],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            [Membership(organization=baseline_org, user=u) for u in users], batch_size=1000
        )
    baseline = time.perf_counter() - started

    timings = []
    for attempt in ("first import", "same file again"):
        with org_context(organization):
            started = time.perf_counter()
            job = import_job_create(
                organization=organization,
                created_by=admin,
                filename="bench.csv",
                data=data,
                send_welcome=False,
            )
            import_job_run(organization=organization, job=job)
            elapsed = time.perf_counter() - started
            job.refresh_from_db()
        assert job.status == ImportJob.Status.SUCCEEDED, job.errors[:5]
        timings.append(elapsed)
        print(
            f"{attempt}: {ROWS} rows in {elapsed:.2f} s = {ROWS / elapsed:,.0f} rows/s "
            f"(created {job.created_count}, updated {job.updated_count}, unchanged {job.unchanged_count})"
        )
    print(f"baseline (bare bulk insert of {ROWS} users + memberships): {baseline:.2f} s")
    print(f"import / baseline time ratio: {timings[0] / baseline:.1f}x  ({connection.vendor})")
    if timings[0] > 60:
        raise SystemExit(
            f"FAIL: {ROWS} rows took {timings[0]:.0f} s; the budget is well under a minute"
        )


if __name__ == "__main__":
    main()
