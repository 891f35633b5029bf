"""One digest sent end to end by a real Celery worker on Redis (tests/worker.py): the
hourly beat entry fans out per organization, the worker sends the member's digest in
their language, and running again in the same period sends nothing more. The worker
writes its mail with Django's file backend, which the test reads."""

from __future__ import annotations

import email
import re

import pytest

from advocacy.tenancy.models import Organization
from campaigns.digests.models import Digest
from campaigns.digests.tasks import send_due, send_for_org

from .factories import ContentFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _messages(folder):
    found = []
    for path in sorted(folder.glob("*.log")):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                found.append(email.message_from_string(raw.strip()))
    return found


def test_the_worker_sends_each_member_their_digest_once(
    celery_worker, settings, tmp_path, org_a, employee_a
):
    settings.DIGEST_SEND_HOUR = settings.DIGEST_WEEKDAY = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    employee_a.user.preferred_language = "id"
    employee_a.user.save(update_fields=["preferred_language"])
    item = ContentFactory(organization=org_a, title="Pabrik baru kami di Surabaya dibuka")
    organizations = Organization.objects.filter(is_active=True).count()

    worker = celery_worker()
    send_due.delay()
    worker.wait_for(
        lambda: Digest.objects.filter(membership=employee_a, status="sent").exists(),
        "the employee's digest, sent",
    )
    send_for_org.delay(organization_id=org_a.pk)  # a rerun within the period
    worker.wait_for(
        lambda: (
            len(re.findall(r"digests\.send_for_org\[[^\]]+\] succeeded", worker.output()))
            >= organizations + 1
        ),
        "every organization's run and the rerun",
    )
    assert Digest.objects.filter(membership=employee_a).count() == 1
    digest = Digest.objects.get(membership=employee_a)
    assert digest.items == [{"id": item.pk, "title": item.title}]
    to_employee = [m for m in _messages(tmp_path) if m["To"] == employee_a.user.email]
    assert len(to_employee) == 1
    message = to_employee[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "Inilah yang baru untuk Anda bagikan" in text and item.title in text
