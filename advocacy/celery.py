"""The Celery application. Tasks that act for one organization use `OrgTask`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")

# Every task, OrgTask or not, runs again when SQLite says "database is locked".
app = Celery("advocacy", task_cls="advocacy.taskbase:ChorusTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
