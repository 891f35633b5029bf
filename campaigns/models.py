"""Campaigns, the shares employees make, and the tracked links those shares carry."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, TenantModel
from content_library.models import ContentItem
from social.models import Connection, Publication


class Campaign(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    goal_clicks = models.PositiveIntegerField(_("goal (clicks)"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    points_per_share = models.PositiveIntegerField(_("points per share"), default=10)
    points_per_click = models.PositiveIntegerField(_("points per click"), default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="campaign_unique_slug")]

    def __str__(self) -> str:
        return self.name


class CampaignItem(TenantModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    content = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="campaign_items")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "campaign", "content"], name="campaignitem_unique"),
        ]


class Share(TenantModel):
    """One advocate's share of one content item on one channel.

    `channel` is a network when Chorus publishes through a connection, or an
    intent channel (share link, copy, Web Share) when the employee posts by hand.
    """

    class Channel(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        WHATSAPP = "whatsapp", "WhatsApp"
        EMAIL = "email", _("Email")
        COPY = "copy", _("Copied link")
        WEB_SHARE = "web_share", _("Phone share sheet")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PENDING = "pending", _("Waiting")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Checking")
        SHARED_BY_HAND = "by_hand", _("Shared by you")
        CANCELLED = "cancelled", _("Cancelled")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="shares")
    content = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="shares")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    connection = models.ForeignKey(Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("post text"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # Followers of the connection when shared: the share's potential reach (an estimate).
    followers_at_share = models.PositiveIntegerField(null=True, blank=True)
    # Latest counters, pushed here by analytics through campaigns.services (None = not reported).
    impressions = models.PositiveIntegerField(null=True, blank=True)
    reactions = models.PositiveIntegerField(null=True, blank=True)
    comments = models.PositiveIntegerField(null=True, blank=True)
    reposts = models.PositiveIntegerField(null=True, blank=True)
    clicks = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "membership", "-created_at"], name="share_org_member_created"),
            models.Index(fields=["organization", "status", "scheduled_at"], name="share_org_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.channel}: {self.content_id}"


class TrackedLink(TenantModel):
    """The short link a share carries: /r/<code> redirects to `target_url` (with UTM
    parameters already applied). Codes are random and long enough that guessing
    one is hopeless; they are globally unique because /r/ has no organization."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="links")
    code = models.CharField(max_length=32)
    target_url = models.URLField(max_length=2000)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="trackedlink_unique_code"),
            models.UniqueConstraint(fields=["organization", "share"], name="trackedlink_unique_share"),
        ]
        indexes = [models.Index(fields=["code"], name="trackedlink_code")]

    def __str__(self) -> str:
        return self.code
