"""Links Chorus sends follow the address it is served on (issue 17: every link pointed at
port 8000 when `make run` served another PORT)."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from advocacy.tenancy.models import Role

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_serves_and_links_on_the_same_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=127.0.0.1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    ).stdout.replace("\\\n", " ")
    start = next(line for line in dry_run.splitlines() if "honcho start" in line)
    assert "CHORUS_PORT=8123" in start
    assert re.search(r"SITE_URL=\$\{SITE_URL:-http://127\.0\.0\.1:8123\}", start), start


@pytest.mark.django_db
@override_settings(SITE_URL="http://127.0.0.1:8123")
def test_invitation_email_links_to_the_served_address(
    web, admin_a, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    with django_capture_on_commit_callbacks(execute=True):
        web.as_member(admin_a).post(
            f"/o/{org.slug}/people/invitations/",
            {"emails": "ana@acme.test", "role": Role.EMPLOYEE},
        )
    (message,) = mail.outbox
    links = re.findall(r"https?://[^\s\"<>]+", message.body)
    assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links), links
    assert ":8000" not in message.body
