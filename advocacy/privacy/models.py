"""Data rights: archives people and owners asked for, and organizations set to be deleted."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import TenantModel


def export_storage() -> FileSystemStorage:
    # Never under MEDIA_ROOT: archives are served only through the views that check who asks.
    root = getattr(settings, "PRIVACY_EXPORT_ROOT", None) or settings.BASE_DIR / "var" / "exports"
    return FileSystemStorage(location=str(root))


def export_keep_for() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "PRIVACY_EXPORT_KEEP_DAYS", 7))


class DataExport(TenantModel):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("My data")
        ORGANIZATION = "organization", _("Whole organization")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Preparing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    archive = models.FileField(storage=export_storage, upload_to="archives/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "requested_by", "-created_at"], name="export_org_by"
            )
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def kept_until(self):
        """When the periodic job deletes the archive (settings.PRIVACY_EXPORT_KEEP_DAYS)."""
        return self.created_at + export_keep_for()


class OrganizationDeletion(TenantModel):
    """An owner's request to delete the organization. It waits `execute_after`,
    during which any owner may cancel it; a periodic task then erases everything."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    execute_after = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(cancelled_at__isnull=True),
                name="one_pending_deletion_per_org",
            )
        ]


class RetentionPolicy(TenantModel):
    """How long raw clicks and network metric snapshots are kept (None: for good).
    Rollups are kept for good either way; the purge keeps them exact."""

    raw_clicks_days = models.PositiveIntegerField(
        _("keep raw clicks (days)"), null=True, blank=True
    )
    metric_snapshots_days = models.PositiveIntegerField(
        _("keep metric snapshots (days)"), null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_retention_policy_per_org")
        ]


class PurgedTotals(TenantModel):
    """What purged raw rows added to the rollups, so a rebuild from what is left adds
    it back: per share and day, the metrics (`kind` "facts"), or per share the
    counters its last purged snapshot stood at (`kind` "baseline", `day` null).
    Opaque to the core: the purge that writes it and the rebuild that reads it are
    both analytics'."""

    kind = models.CharField(max_length=16)
    share_id = models.BigIntegerField()
    day = models.DateField(null=True, blank=True)
    metrics = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "kind", "share_id"], name="purged_org_kind")
        ]
