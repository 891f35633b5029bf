"""An employee's connected social accounts and the posts Chorus makes through them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, TenantModel


class Network(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"


class Connection(TenantModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Connected")
        EXPIRING = "expiring", _("Expiring soon")
        REAUTH_REQUIRED = "reauth_required", _("Needs reconnecting")
        DISCONNECTED = "disconnected", _("Disconnected")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="connections")
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    external_id = models.CharField(max_length=200)
    handle = models.CharField(_("account"), max_length=200)
    display_name = models.CharField(max_length=200, blank=True)
    profile_url = models.URLField(max_length=500, blank=True)
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    scopes = models.CharField(max_length=1000, blank=True)
    # The token set, encrypted with MultiFernet (settings.SOCIAL_TOKEN_KEYS); never plaintext.
    token_ciphertext = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    last_error = models.CharField(max_length=500, blank=True)
    connected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership", "network", "external_id"], name="connection_unique_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"


class Publication(TenantModel):
    """One post made (or being made) on a network through a connection.

    Publishing is not idempotent on most networks, so the state is written
    before the call: pending → publishing → published | failed | unknown.
    A post left in `unknown` (the call's outcome was lost) is reconciled
    against the network, never blindly retried.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Checking")

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="publications")
    idempotency_key = models.CharField(max_length=64)
    text = models.TextField()
    link_url = models.URLField(max_length=2000, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    external_id = models.CharField(max_length=300, blank=True)
    external_url = models.URLField(max_length=1000, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"], name="publication_unique_key"),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="publication_org_status")]
