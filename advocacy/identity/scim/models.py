"""SCIM 2.0 provisioning state, per organization.

A SCIM User is the organization's `Membership` (its SCIM id is the membership
id); a SCIM Group is a `Team`. What SCIM needs beyond them (the identity
provider's externalId, the attributes it sent, timestamps) sits in the link
rows here, so a person's data in another organization is never touched.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, Team, TenantModel


class ScimToken(TenantModel):
    """A bearer token an owner gave an identity provider. Only its sha256 is kept."""

    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, editable=False)
    # The first characters, so an owner can tell tokens apart without the secret.
    prefix = models.CharField(max_length=16, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "token_hash"], name="scimtoken_unique_hash"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScimUser(TenantModel):
    """The SCIM side of one membership: who the identity provider says it is."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    user_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True)
    # name, displayName, emails, title, ... as last sent, for this organization only.
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"], name="scimuser_unique_membership"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "user_name"], name="scimuser_org_username"),
            models.Index(fields=["organization", "external_id"], name="scimuser_org_external"),
        ]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(TenantModel):
    """The SCIM side of one team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "team"], name="scimgroup_unique_team"),
        ]

    def __str__(self) -> str:
        return str(self.team_id)


class ScimRequestLog(TenantModel):
    """The outcome of one SCIM request, for the admin screen's "last sync" and errors.

    Only the most recent few hundred per organization are kept."""

    at = models.DateTimeField(default=timezone.now, editable=False)
    token_name = models.CharField(max_length=80, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField()
    scim_type = models.CharField(max_length=32, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"], name="scimlog_org_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
