"""The Celery application. Tasks that act for one organization use `OrgTask`.

Periodic jobs are declared by each app (`AppConfig.periodic_jobs()`, returning
beat entries) and collected here; the beat scheduler (`advocacy.beat`) loads
them when it starts, so no app imports this module.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")

# Every task, OrgTask or not, runs again when SQLite says "database is locked".
app = Celery("advocacy", task_cls="advocacy.taskbase:ChorusTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def periodic_jobs() -> dict:
    """Every installed app's beat entries by name (call once Django is set up).

    Two apps declaring the same name is a mistake that would silently drop a job."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    jobs: dict = {}
    for config in apps.get_app_configs():
        declare = getattr(config, "periodic_jobs", None)
        if declare is None:
            continue
        for name, entry in declare().items():
            if name in jobs:
                raise ImproperlyConfigured(f"two apps declare the periodic job {name!r}")
            jobs[name] = entry
    return jobs
