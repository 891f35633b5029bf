"""The approved content library: items employees may share and their suggested captions.

Only items that are approved, published and not expired reach employees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import TenantModel, TenantQuerySet


class Network(models.TextChoices):
    """The networks a caption or a share can target."""

    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"


class ContentItemQuerySet(TenantQuerySet):
    def shareable(self, *, now=None):
        """Approved, published and not expired: what employees may see and share."""
        now = now or timezone.now()
        return self.filter(status=ContentItem.Status.APPROVED).filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        )


class ContentItem(TenantModel):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article or link")
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        TEXT = "text", _("Text-only post")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        COMPLIANCE_REVIEW = "compliance_review", _("Compliance review")
        APPROVED = "approved", _("Approved")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    image = models.ImageField(_("image"), upload_to="content/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="content/thumbs/%Y/%m/", blank=True, editable=False)
    preview_image_url = models.URLField(_("preview image"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_featured = models.BooleanField(_("featured"), default=False)
    publish_at = models.DateTimeField(_("publish from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    internal_notes = models.TextField(_("notes for curators"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["-is_featured", "-created_at"]
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="content_org_status_created"),
        ]

    def __str__(self) -> str:
        return self.title


class Caption(TenantModel):
    """A suggested caption for one network (or for any network when `network` is blank)."""

    content = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="captions")
    network = models.CharField(_("network"), max_length=16, choices=Network.choices, blank=True)
    text = models.TextField(_("caption"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "content"], name="caption_org_content")]

    def __str__(self) -> str:
        return self.text[:60]
