"""SAML sign-in per organization: its identity provider, recent outcomes, assertions seen."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import TenantModel


class MetadataStatus(models.TextChoices):
    NONE = "", _("not fetched")
    PENDING = "pending", _("fetching the metadata")
    LOADED = "loaded", _("metadata loaded")
    FAILED = "failed", _("the metadata could not be loaded")


class SamlConnection(TenantModel):
    """The organization's identity provider and how its attributes map onto people."""

    enabled = models.BooleanField(_("SAML sign-in is on"), default=False)
    idp_entity_id = models.CharField(_("identity provider entity ID"), max_length=500, blank=True)
    idp_sso_url = models.URLField(_("identity provider sign-in URL"), max_length=1000, blank=True)
    # PEM bodies of the signing certificates, one per line block (rollover keeps two).
    idp_certificates = models.TextField(_("signing certificates"), blank=True)
    idp_metadata_xml = models.TextField(_("identity provider metadata"), blank=True)
    idp_metadata_url = models.URLField(_("metadata URL"), max_length=1000, blank=True)
    attribute_email = models.CharField(_("e-mail attribute"), max_length=255, default="email")
    attribute_first_name = models.CharField(
        _("first name attribute"), max_length=255, default="firstName", blank=True
    )
    attribute_last_name = models.CharField(
        _("last name attribute"), max_length=255, default="lastName", blank=True
    )
    attribute_team = models.CharField(
        _("team attribute"), max_length=255, default="team", blank=True
    )
    attribute_role = models.CharField(
        _("role attribute"), max_length=255, default="role", blank=True
    )
    just_in_time = models.BooleanField(_("create members at first sign-in"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # The metadata URL is fetched by a task (saml_metadata_fetch_task), never in the request.
    metadata_status = models.CharField(
        max_length=8, choices=MetadataStatus.choices, default=MetadataStatus.NONE, blank=True
    )
    metadata_error = models.CharField(max_length=500, blank=True)
    metadata_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="samlconnection_one_per_org"),
        ]

    def __str__(self) -> str:
        return self.idp_entity_id or "SAML"

    @property
    def is_ready(self) -> bool:
        return bool(
            self.enabled and self.idp_entity_id and self.idp_sso_url and self.idp_certificates
        )


class SamlSignIn(TenantModel):
    """One SAML sign-in attempt's outcome, for the admin screen (the newest few are kept)."""

    at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField(default=False)
    reason = models.CharField(max_length=32)  # see outcomes.REASONS
    detail = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"], name="samlsignin_org_at")]


class SamlAssertionSeen(TenantModel):
    """An assertion ID already accepted, kept until the assertion expires (replay cache)."""

    assertion_id = models.CharField(max_length=256)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "assertion_id"], name="samlassertion_unique_id"
            ),
        ]
        indexes = [models.Index(fields=["organization", "expires_at"], name="samlassertion_expiry")]
