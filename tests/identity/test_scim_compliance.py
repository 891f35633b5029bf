"""A third-party SCIM compliance checker run against Chorus: `scim2 test` from
scim2-cli (which runs scim2-tester, written by others from RFC 7643/7644). It
discovers our schemas, then creates, reads, searches, replaces, PATCHes (add,
remove, replace on every writable attribute) and deletes Users and Groups.
Every check must succeed: the CLI exits non-zero on any error or skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advocacy.identity.scim.tokens import scim_token_create
from advocacy.tenancy.models import Role

SCIM2 = shutil.which("scim2") or str(Path(sys.executable).with_name("scim2"))


@pytest.mark.django_db(transaction=True)
def test_scim2_cli_compliance_check_passes_with_no_failures(live_server, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    member_factory(org_a)  # someone who joined by invitation is listed too
    _token, raw = scim_token_create(organization=org_a, actor=owner, name="scim2-cli")
    env = {**os.environ, "SCIM_CLI_HEADERS": f"Authorization: Bearer {raw}"}

    run = subprocess.run(
        [SCIM2, "--url", f"{live_server.url}/scim/v2/orgs/{org_a.slug}", "test"],
        env=env,
        capture_output=True,
        text=True,
    )

    lines = run.stdout.splitlines()
    outcomes = [line.split()[0] for line in lines if line.split()[:1] != [] and line[0] != " "]
    outcomes = [o for o in outcomes if o.isupper()]
    failures = [
        line
        for line in lines
        if line.split()[:1] and line.split()[0] in {"ERROR", "CRITICAL", "SKIPPED", "WARNING"}
    ]
    assert run.returncode == 0, run.stdout + run.stderr
    assert failures == []
    assert outcomes.count("SUCCESS") >= 100, run.stdout
