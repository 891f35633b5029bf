"""Apps declare their periodic jobs; the wiring collects them and beat stores them.

No app imports the Celery application for this (an import contract says so);
these tests prove the collected schedule is complete and runnable."""

import pytest
from django_celery_beat.models import PeriodicTask

from advocacy.beat import Scheduler
from advocacy.celery import app, periodic_jobs

pytestmark = pytest.mark.django_db

# One job per app at least: losing an app's declaration would stop its work silently.
EXPECTED = {
    "analytics-flush-clicks",
    "campaigns-publish-due-shares",
    "content-library-poll-feeds",
    "content-library-expire-items",
    "privacy-delete-scheduled-organizations",
    "recognition-recurring-awards",
    "social-reconcile-unknown-publications",
    "surveys-tick",
}


def test_every_apps_jobs_are_collected_and_name_a_real_task():
    jobs = periodic_jobs()
    assert EXPECTED <= set(jobs)
    app.loader.import_default_modules()
    missing = {name: job["task"] for name, job in jobs.items() if job["task"] not in app.tasks}
    assert missing == {}


@pytest.mark.django_db(transaction=True)
def test_beat_stores_the_collected_jobs_when_it_starts():
    # django-celery-beat's scheduler closes stale database connections as it starts,
    # so this runs outside the test's wrapping transaction.
    Scheduler(app=app)
    stored = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(periodic_jobs()) <= stored
