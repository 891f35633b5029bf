"""Campaigns, the shares employees make, and the tracked links those shares carry."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, TenantModel
from content_library.models import AudienceRule, ContentItem
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
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    points_per_share = models.PositiveIntegerField(_("points per share"), default=10)
    points_per_click = models.PositiveIntegerField(_("points per click"), default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set once the audience has been told; announcing is idempotent on it.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="campaign_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class CampaignAudience(AudienceRule):
    """One way into a campaign's audience (a team and the teams below it, a location
    or a role), the same rules the content library uses. No rows: everyone."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="audience_rules")

    class Meta:
        indexes = [
            models.Index(fields=["organization", "campaign"], name="campaignaudience_org_campaign")
        ]


hostname_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Enter a host name such as go.example.com, without https:// or a path."),
)


class CampaignSettings(TenantModel):
    """How an organization runs sharing: where campaigns are announced and the
    guard rails that keep employees' feeds authentic."""

    slack_webhook_url = models.URLField(_("Slack incoming webhook"), max_length=500, blank=True)
    teams_webhook_url = models.URLField(
        _("Microsoft Teams incoming webhook"), max_length=500, blank=True
    )
    announce_by_email = models.BooleanField(_("announce campaigns by email"), default=True)
    # Local times in the organization's time zone; both empty means any time.
    sharing_starts = models.TimeField(_("sharing opens at"), null=True, blank=True)
    sharing_ends = models.TimeField(_("sharing closes at"), null=True, blank=True)
    daily_share_limit = models.PositiveSmallIntegerField(
        _("posts per employee per day"),
        null=True,
        blank=True,
        help_text=_("Different posts one employee may share in a day. Empty: no limit."),
    )
    short_domain = models.CharField(
        _("custom short domain"),
        max_length=253,
        blank=True,
        validators=[hostname_validator],
        help_text=_(
            "A host name pointed at Chorus, e.g. go.example.com. Empty: the Chorus address."
        ),
    )

    # The company's own account (an admin's connected LinkedIn or Facebook Page, ...)
    # that reposts advocates' shares they agreed to have reposted.
    company_connection = models.ForeignKey(
        Connection,
        verbose_name=_("company account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Where advocates' posts are reposted when they agree. Connect the company page "
            "on the Connections page first."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="campaignsettings_one_per_org"),
        ]


class CampaignItem(TenantModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    content = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, related_name="campaign_items"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "campaign", "content"], name="campaignitem_unique"
            ),
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
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("post text"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When its employee was asked (e-mail) to confirm a post the network cannot be asked about.
    check_asked_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # One composer submission (one post to several networks); also makes a double submit harmless.
    batch = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the due-share dispatcher last handed it to a worker (a lost task is handed out again later).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
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
            models.Index(
                fields=["organization", "membership", "-created_at"],
                name="share_org_member_created",
            ),
            models.Index(
                fields=["organization", "status", "scheduled_at"], name="share_org_status_due"
            ),
            # The every-minute dispatcher looks across organizations; partial, so it stays tiny.
            models.Index(
                fields=["scheduled_at"],
                name="share_due_any_org",
                condition=Q(status__in=["scheduled", "pending", "publishing", "unknown"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "batch", "channel"],
                name="share_unique_batch_channel",
                condition=Q(batch__isnull=False),
            ),
            # Intent shares (share links, copy, phone share sheet) are one per advocate, item and channel,
            # so their tracked link is stable however often the button is pressed.
            models.UniqueConstraint(
                fields=["organization", "membership", "content", "channel"],
                name="share_unique_by_hand",
                condition=Q(status="by_hand"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.channel}: {self.content_id}"

    @property
    def waits_for_check(self) -> bool:
        """Only its employee can tell whether the post went out (one tap on My shares)."""
        return (
            self.status == self.Status.UNKNOWN
            and self.publication_id is not None
            and self.publication.needs_manual_check
        )


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
            models.UniqueConstraint(
                fields=["organization", "code"], name="trackedlink_unique_code"
            ),
            models.UniqueConstraint(
                fields=["organization", "share"], name="trackedlink_unique_share"
            ),
        ]
        indexes = [models.Index(fields=["code"], name="trackedlink_code")]

    def __str__(self) -> str:
        return self.code


class Repost(TenantModel):
    """The company account reposting an advocate's share, once per consent
    (recognition's repost request). The network call is a social Publication
    keyed by the request, so a rerun never posts twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PUBLISHED = "published", _("Reposted")
        FAILED = "failed", _("Failed")

    repost_request_id = models.BigIntegerField()
    share = models.ForeignKey(Share, null=True, on_delete=models.SET_NULL, related_name="+")
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "repost_request_id"], name="repost_once_per_request"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-updated_at"], name="repost_org_status")
        ]
