"""Behind PgBouncer in transaction pooling, nothing of one transaction's tenant context
stays on the server connection for the next client. The test starts its own PgBouncer
with ONE server connection, so every client shares it, runs Chorus code in an
organization's context through it, then looks at what the next client finds there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from advocacy.tenancy.context import system_context
from social.models import Connection

from .conftest import ROOT, free_port, postgres_only

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = """[databases]
* = host={host} port={port}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = 1
max_client_conn = 20
ignore_startup_parameters = extra_float_digits
unix_socket_dir =
pidfile = {folder}/pgbouncer.pid
logfile = {folder}/pgbouncer.log
"""

IN_ORG = (
    "from advocacy.tenancy.context import org_context\n"
    "from advocacy.tenancy.models import Organization\n"
    "from advocacy.tenancy.context import system_context\n"
    "from social.models import Connection\n"
    "with system_context('find'):\n"
    "    org = Organization.objects.get(slug='{slug}')\n"
    "with org_context(org):\n"
    "    print('SEEN=%d' % Connection.objects.count())\n"
    "print('WITHOUT=%d' % Connection.objects.count())\n"
)


@pytest.fixture
def pgbouncer():
    postgres_only()
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.path.exists(binary):
        pytest.fail("PgBouncer is not installed (.ci/run installs Debian's pgbouncer)")
    db = connection.settings_dict
    listen = free_port()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "users.txt").write_text(f'"{db["USER"]}" ""\n')
        Path(folder, "pgbouncer.ini").write_text(
            CONFIG.format(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                listen=listen,
                folder=folder,
            )
        )
        os.chmod(folder, 0o755)
        command = [binary, str(Path(folder, "pgbouncer.ini"))]
        if os.geteuid() == 0:  # PgBouncer refuses to run as root
            subprocess.run(["chown", "-R", "postgres", folder], check=True)
            command[1:1] = ["-u", "postgres"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            for _ in range(100):
                try:
                    psycopg2.connect(
                        host="127.0.0.1", port=listen, user=db["USER"], dbname=db["NAME"]
                    ).close()
                    break
                except psycopg2.OperationalError:
                    time.sleep(0.05)
            yield listen
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_no_tenant_context_outlives_its_transaction_on_a_pooled_connection(
    pgbouncer, org_a, org_b, member_factory
):
    with system_context("arrange"):
        for org in (org_a, org_b):
            Connection.objects.create(
                organization=org,
                membership=member_factory(org),
                network="linkedin",
                external_id=f"urn:li:person:{org.slug}",
                handle=f"someone.at.{org.slug}",
            )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@127.0.0.1:{pgbouncer}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DB_TRANSACTION_POOLING": "1"}
    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", IN_ORG.format(slug=org_a.slug)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "SEEN=1" in run.stdout  # inside org A: org A's row only, through the pooler
    assert "WITHOUT=0" in run.stdout  # outside any context: nothing

    # The next client on the same (only) server connection finds nothing left behind.
    raw = psycopg2.connect(host="127.0.0.1", port=pgbouncer, user=db["USER"], dbname=db["NAME"])
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, coalesce(current_setting('app.current_org', true), ''),"
                " coalesce(current_setting('app.system', true), '')"
            )
            user, org, system = cursor.fetchone()
            assert user == db["USER"] and org == "" and system in ("", "off")
            cursor.execute("BEGIN; SET LOCAL ROLE chorus_app;")
            cursor.execute("SELECT count(*) FROM social_connection")
            assert cursor.fetchone()[0] == 0
            cursor.execute("ROLLBACK")
    finally:
        raw.close()
