"""The audit trail: what owners and admins did, append-only.

The actor is kept as an id and a label copied at the time, not a foreign key:
a deleted account must not rewrite (or be blocked by) history. On PostgreSQL a
trigger refuses UPDATE and DELETE on the table (see migration 0001)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import TenantModel

from .actions import action_label


class AuditEntry(TenantModel):
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    actor_user_id = models.BigIntegerField(null=True, blank=True, editable=False)
    actor_label = models.CharField(_("who"), max_length=200, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=64, editable=False)
    target_type = models.CharField(max_length=64, blank=True, editable=False)
    target_id = models.CharField(max_length=64, blank=True, editable=False)
    target_label = models.CharField(_("on"), max_length=200, blank=True, editable=False)
    details = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_time"),
            models.Index(fields=["organization", "action"], name="audit_org_action"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditTrailIsAppendOnly("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit entries are never deleted")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class AuditTrailIsAppendOnly(Exception):
    pass
