"""Export archives are kept PRIVACY_EXPORT_KEEP_DAYS days (7 by default): the page says
until when, and a periodic job then deletes the file and the row, in every organization."""

from __future__ import annotations

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from advocacy.celery import app, periodic_jobs
from advocacy.privacy.models import DataExport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.PRIVACY_EXPORT_ROOT = tmp_path / "exports"


def url(org, name, **kwargs):
    return reverse(f"privacy:{name}", kwargs={"org_slug": org.slug, **kwargs})


def ready_export(client, org, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(org, "my_data")).status_code == 302
    export = DataExport.objects.for_org(org).order_by("-pk").first()
    assert export.status == DataExport.Status.READY
    return export


def expire_by_beat() -> int:
    """Run the job the way beat would: by the task name the app declared."""
    (job,) = [j for j in periodic_jobs().values() if j["task"] == "privacy.exports_expire"]
    return app.tasks[job["task"]].delay().get()


def test_the_page_says_until_when_the_download_is_kept(
    web, org_a, employee_a, django_capture_on_commit_callbacks
):
    client = web.as_member(employee_a)
    export = ready_export(client, org_a, django_capture_on_commit_callbacks)
    until = export.created_at + datetime.timedelta(days=7)
    page = client.get(url(org_a, "my_data")).content.decode()
    shown = formats.date_format(timezone.localtime(until), "SHORT_DATETIME_FORMAT")
    assert f"Kept until {shown}" in page


def test_old_archives_are_deleted_file_and_row_and_recent_ones_stay(
    web, org_a, org_b, employee_a, admin_b, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_EXPORT_KEEP_DAYS = 3
    old_b = ready_export(web.as_member(admin_b), org_b, django_capture_on_commit_callbacks)
    client_a = web.as_member(employee_a)
    old_a = ready_export(client_a, org_a, django_capture_on_commit_callbacks)
    recent = ready_export(client_a, org_a, django_capture_on_commit_callbacks)
    four_days_ago = timezone.now() - datetime.timedelta(days=4)
    DataExport.objects.filter(pk__in=[old_a.pk, old_b.pk]).update(created_at=four_days_ago)
    old_files = [old_a.archive.path, old_b.archive.path]

    assert expire_by_beat() == 2
    assert list(DataExport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not any(os.path.exists(path) for path in old_files)
    assert client_a.get(url(org_a, "export_download", pk=old_a.pk)).status_code == 404
    assert client_a.get(url(org_a, "export_download", pk=recent.pk)).status_code == 200
    assert expire_by_beat() == 0  # a second run finds nothing left
