"""What each employee asked for, what the organization set as the default, and every
digest sent (one row per member and period: the row is what makes a second send impossible)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, TenantModel


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class DigestPolicy(TenantModel):
    """The organization's default, for everyone who has not chosen."""

    default_frequency = models.CharField(
        _("default frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="digestpolicy_one_per_org"),
        ]


class DigestPreference(TenantModel):
    """One employee's choice; an empty frequency follows the organization's default."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, blank=True
    )
    # Set by the e-mail's unsubscribe link (kept for the record; choosing again clears it).
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"], name="digestpreference_one_per_member"
            ),
        ]


class Digest(TenantModel):
    """One digest e-mail: to whom, for which period, which items."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    # The member's period in the organization's time zone: "2026-12-03" or "2026-W49".
    period = models.CharField(max_length=16)
    # [{"id": content id, "title": title as sent}]: the log keeps what was sent.
    items = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership", "period"], name="digest_once_per_period"
            ),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"], name="digest_org_created")]
