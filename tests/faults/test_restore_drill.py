"""The restore drill of docs/operations.md, run for real on PostgreSQL: dump the
database, restore it into a new one, row-level security is complete there, and the
tokens decrypt with the keys we keep (and a wrong key is reported as ours)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from advocacy.tenancy.context import system_context
from social.crypto import encrypt_token
from social.models import Connection
from social.providers.base import TokenSet

from .conftest import ROOT, postgres_only

pytestmark = pytest.mark.django_db(transaction=True)

KEY = Fernet.generate_key().decode()

READ_TOKEN = (
    "from advocacy.tenancy.context import system_context\n"
    "from social.crypto import decrypt_token\n"
    "from social.models import Connection\n"
    "with system_context('restore drill'):\n"
    "    row = Connection.objects.get(handle='drill.person')\n"
    "print('TOKEN=' + decrypt_token(row.token_ciphertext).access_token)\n"
)


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
    env["PGUSER"] = db["USER"]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _manage(database_url: str, *args: str, keys: str = KEY) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "SOCIAL_TOKEN_KEYS": keys}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_dump_restore_rls_check_and_tokens_decrypt(settings, member_factory, org_a):
    postgres_only()
    settings.SOCIAL_TOKEN_KEYS = [KEY]
    member = member_factory(org_a)
    token = TokenSet(access_token="drill-access-token", refresh_token="r", expires_at=None)
    with system_context("restore drill: arrange"):
        Connection.objects.create(
            organization=org_a,
            membership=member,
            network="linkedin",
            external_id="urn:li:person:drill",
            handle="drill.person",
            token_ciphertext=encrypt_token(token),
        )
    env = _pg_env()
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{env['PGHOST']}:{env['PGPORT']}/{restored}"
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "chorus.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source],
            env=env, check=True, timeout=300,
        )  # fmt: skip
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
        subprocess.run(["createdb", restored], env=env, check=True)
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
                env=env, check=True, timeout=300,
            )  # fmt: skip
            migrate = _manage(url, "migrate", "--noinput")
            assert migrate.returncode == 0, migrate.stderr
            check_rls = _manage(url, "apply_rls", "--check")
            assert check_rls.returncode == 0, check_rls.stderr
            assert "Every tenant table has row-level security" in check_rls.stdout

            read = _manage(url, "shell", "-c", READ_TOKEN)
            assert read.returncode == 0, read.stderr
            assert "TOKEN=drill-access-token" in read.stdout

            fine = _manage(url, "check", "--database", "default")
            assert fine.returncode == 0 and "social.W010" not in fine.stderr + fine.stdout
            wrong = _manage(
                url, "check", "--database", "default", keys=Fernet.generate_key().decode()
            )
            assert "social.W010" in wrong.stderr + wrong.stdout  # the wrong key is named as ours
        finally:
            subprocess.run(["dropdb", "--if-exists", restored], env=env, check=False)
