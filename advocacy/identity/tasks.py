"""Celery finds the identity tasks here (autodiscovery reads `<app>.tasks`)."""

from .saml.tasks import saml_metadata_fetch_task  # noqa: F401
