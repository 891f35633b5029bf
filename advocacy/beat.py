"""Celery beat's scheduler: django-celery-beat's, given the apps' periodic jobs.

Part of the wiring (`CELERY_BEAT_SCHEDULER` names it). Apps never import the
Celery application to add schedule entries; each declares them in
`AppConfig.periodic_jobs()` and this scheduler collects them when beat starts,
after Django is set up.
"""

from __future__ import annotations

from django_celery_beat.schedulers import DatabaseScheduler

from .celery import periodic_jobs


class Scheduler(DatabaseScheduler):
    def setup_schedule(self):
        self.app.conf.beat_schedule.update(periodic_jobs())
        super().setup_schedule()
