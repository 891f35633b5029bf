"""Clicks on tracked links and their daily rollups.

`ClickEvent` is the fact table the click flusher fills in batches (see
`analytics/clicks.py`); dashboards read the rollups, never the facts.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, Organization, TenantModel
from analytics.fields import BytewiseCharField
from campaigns.models import Campaign, Share, TrackedLink
from social.models import Connection


class ClickEvent(TenantModel):
    """One request to /r/<code>. Every click is kept (bots and repeats too), flagged.

    `click_id` is the id the redirect appended to the target (?chorus_click=) and
    the stream entry's identity: unique per organization, so a batch delivered
    twice inserts nothing twice. `visitor_hash` is a salted hash of IP + user
    agent whose salt changes every day: a raw IP is never stored, and a visitor
    cannot be followed from one day to the next. `visit_key` names (link,
    visitor, hour): the first human click of a visit is the unique one.
    """

    # Every index and check costs on each of tens of thousands of inserts a second:
    # the link, share and organization columns skip the database's foreign-key
    # checks (the rows come only from links that exist, joined in their own
    # organization by the flusher; an organization's erasure deletes its rows
    # table by table), and the link column has no index. Nor has the
    # organization column an index of its own: both of the table's other indexes lead
    # with it, which serves every organization-wide query and delete. Links
    # are never deleted on their own (they are switched off); deleting a share
    # deletes its clicks through the share column, which is indexed for that.
    link = models.ForeignKey(
        TrackedLink,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    share = models.ForeignKey(
        Share, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    click_id = BytewiseCharField(max_length=24)
    clicked_at = models.DateTimeField(_("clicked at"))
    visitor_hash = models.CharField(max_length=32)
    visit_key = BytewiseCharField(max_length=16, blank=True)
    referer = models.CharField(_("referrer"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    is_bot = models.BooleanField(_("bot or link preview"), default=False)
    is_unique = models.BooleanField(_("unique"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "click_id"], name="clickevent_unique_click"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "visit_key"], name="clickevent_org_visit"),
        ]

    def __str__(self) -> str:
        return self.click_id


class CountedShare(TenantModel):
    """A share the rollups have counted, so a `SharePublished` delivered twice counts once."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    counted_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "share"], name="countedshare_unique_share"
            ),
        ]


# --- engagement polling (issue 7) ----------------------------------------------------


class PollSchedule(TenantModel):
    """When to read a published share's counters from its network next.

    One row per share, made when `SharePublished` arrives; that creation is also
    when the share is counted in the rollups (exactly once). A share posted by
    hand has no post id to read, so its row is `not_polled` from the start.
    `slot` is the index of the next planned poll (see `analytics/polling.py`):
    a snapshot is keyed by it, so a poll that runs twice stores nothing twice.
    """

    class State(models.TextChoices):
        ACTIVE = "active", _("Polling")
        PAUSED = "paused", _("Paused: account needs reconnecting")
        DONE = "done", _("Finished")
        DEAD = "dead", _("Failed repeatedly")
        NOT_POLLED = "not_polled", _("Shared by hand")

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    network = models.CharField(_("network"), max_length=16)
    external_id = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField()
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.ACTIVE)
    slot = models.PositiveSmallIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # The latest value of each metric already added to the rollups ({"impressions": 120, ...}):
    # the next snapshot adds only its difference, so the rollups hold each share's latest counters.
    counted = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "share"], name="pollschedule_unique_share"
            )
        ]
        indexes = [
            # The scheduler looks across organizations (audited system context) for due
            # rows; partial, so it holds only the rows still being polled.
            models.Index(
                fields=["next_poll_at"],
                name="pollschedule_due_any_org",
                condition=Q(state="active"),
            ),
            models.Index(
                fields=["organization", "connection", "state"], name="pollschedule_org_conn"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.share_id} ({self.state})"


class MetricSnapshot(TenantModel):
    """A share's counters as its network reported them at one poll slot.

    None means the network does not report that metric (never 0)."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField()
    impressions = models.BigIntegerField(null=True)
    reach = models.BigIntegerField(null=True)
    reactions = models.BigIntegerField(null=True)
    comments = models.BigIntegerField(null=True)
    reposts = models.BigIntegerField(null=True)
    clicks = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "share", "slot"], name="metricsnapshot_unique_slot"
            ),
        ]


class Comment(TenantModel):
    """A comment on a share, fetched where the network gives its text, scored for sentiment.

    Networks hand us texts without stable ids, so a comment is known by its text
    and which occurrence of that text on the share it is."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    text_hash = models.CharField(max_length=32)
    occurrence = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()
    language = models.CharField(max_length=8)
    sentiment = models.FloatField(_("sentiment"))
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "share", "text_hash", "occurrence"],
                name="comment_unique_text",
            ),
        ]
        indexes = [models.Index(fields=["organization", "seen_at"], name="comment_org_seen")]


class PollFailure(TenantModel):
    """A dead letter: a share whose counters could not be read after every retry.
    Admins see these and may retry them."""

    schedule = models.ForeignKey(
        PollSchedule, on_delete=models.CASCADE, related_name="failures_log"
    )
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=16)
    error = models.CharField(_("error"), max_length=500)
    attempts = models.PositiveSmallIntegerField(_("attempts"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["organization", "resolved_at", "-created_at"], name="pollfailure_org_open"
            )
        ]


class ReadUsage(TenantModel):
    """Posts read from one network in one month (some networks bill per post read)."""

    network = models.CharField(_("network"), max_length=16)
    month = models.DateField(_("month"))
    reads = models.PositiveIntegerField(_("posts read"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "network", "month"], name="readusage_unique_month"
            ),
        ]


# --- settings, conversions -------------------------------------------------------------


def _public_key() -> str:
    return secrets.token_urlsafe(12)


class AnalyticsSettings(TenantModel):
    """How an organization values and watches its program. See analytics/README.md for the defaults."""

    # Earned media value: CPM per network (JSON {network: cost per 1000 impressions}),
    # cost per click and value per engagement, in the organization's currency.
    cpm_by_network = models.JSONField(
        _("cost per 1,000 impressions, per network"), default=dict, blank=True
    )
    cost_per_click = models.DecimalField(
        _("cost per click"), max_digits=10, decimal_places=2, default=Decimal("1.50")
    )
    value_per_engagement = models.DecimalField(
        _("value per engagement"), max_digits=10, decimal_places=2, default=Decimal("0.25")
    )
    monthly_program_cost = models.DecimalField(
        _("monthly program cost"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Licences, agency and staff time; rewards redeemed are added automatically."),
    )
    # Monthly read budgets, {network: posts}; a network not listed has no budget.
    read_budgets = models.JSONField(_("monthly read budgets"), default=dict, blank=True)
    # Industry values the admin enters, {metric key: number}.
    industry_benchmarks = models.JSONField(_("industry values"), default=dict, blank=True)
    contribute_to_benchmarks = models.BooleanField(
        _("add our figures, anonymously, to the platform benchmarks"), default=True
    )
    # The JavaScript snippet and pixel name the organization by this public key.
    public_key = models.CharField(max_length=24, default=_public_key, editable=False)
    webhook_url = models.URLField(_("CRM webhook"), max_length=500, blank=True)
    webhook_secret_ciphertext = models.TextField(blank=True, editable=False)
    # One click rarely leads to more than a few sales; beyond this, conversions are refused.
    max_conversions_per_click = models.PositiveSmallIntegerField(
        _("conversions counted per click, at most"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="analyticssettings_one_per_org")
        ]
        # /t/<public key>.js is answered before any organization is known.
        indexes = [models.Index(fields=["public_key"], name="analyticssettings_public_key")]


class SettingsChange(TenantModel):
    """Who changed the value formula or costs, and from what to what."""

    changed_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    field = models.CharField(max_length=64)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-changed_at"], name="settingschange_org_time")
        ]


class ConversionKey(TenantModel):
    """A key the company's servers use for `POST /api/v1/conversions`. Stored hashed;
    the prefix finds the row, the hash proves the rest."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "prefix"], name="conversionkey_unique_prefix"
            )
        ]
        # The key arrives before any organization is known.
        indexes = [models.Index(fields=["prefix"], name="conversionkey_prefix")]

    def __str__(self) -> str:
        return self.name


class Conversion(TenantModel):
    """A lead, sign-up or sale on the company's site, attributed through the click id
    the redirect appended: click → share → advocate → campaign → content."""

    class Source(models.TextChoices):
        PIXEL = "pixel", _("Pixel or snippet")
        API = "api", _("Server")

    click_event = models.ForeignKey(
        ClickEvent, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    click_id = models.CharField(max_length=24)
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, null=True, on_delete=models.SET_NULL, related_name="+")
    content_id = models.BigIntegerField(null=True)
    network = models.CharField(max_length=16)
    kind = models.CharField(_("type"), max_length=40)
    external_id = models.CharField(_("your reference"), max_length=100, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "click_id", "kind", "external_id"], name="conversion_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-occurred_at"], name="conversion_org_time")
        ]


class WebhookDelivery(TenantModel):
    """Handing one conversion to the organization's CRM webhook."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    conversion = models.ForeignKey(Conversion, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # A failed attempt is tried again from this time (backoff kept here, not in the broker).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "conversion"], name="webhookdelivery_unique"
            ),
        ]
        indexes = [
            # The retry sweep looks across organizations for due deliveries.
            models.Index(
                fields=["next_attempt_at"],
                name="webhookdelivery_due_any_org",
                condition=Q(status="pending"),
            ),
        ]


class WeeklySummary(TenantModel):
    """The weekly summary email went out for this week (once per week)."""

    week_start = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "week_start"], name="weeklysummary_unique_week"
            ),
        ]


# --- rollups ------------------------------------------------------------------------------


class RollupCounts(TenantModel):
    """What every rollup adds up. Engagement counters are sums of deltas between
    snapshots, so they may go down (a reaction withdrawn); they are signed."""

    clicks = models.BigIntegerField(default=0)  # human
    bot_clicks = models.BigIntegerField(default=0)
    unique_clicks = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    potential_reach = models.BigIntegerField(default=0)  # followers at share time
    impressions = models.BigIntegerField(default=0)
    reach = models.BigIntegerField(default=0)
    reactions = models.BigIntegerField(default=0)
    comments = models.BigIntegerField(default=0)
    reposts = models.BigIntegerField(default=0)
    network_clicks = models.BigIntegerField(default=0)
    conversions = models.BigIntegerField(default=0)
    conversion_value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))
    # Sum of comment scores in thousandths (integers add up the same in any order).
    sentiment_sum = models.BigIntegerField(default=0)
    sentiment_count = models.BigIntegerField(default=0)
    positive_comments = models.BigIntegerField(default=0)
    negative_comments = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class OrgDaily(RollupCounts):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="orgdaily_unique")
        ]


class CampaignDaily(RollupCounts):
    day = models.DateField()
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "campaign"], name="campaigndaily_unique"
            ),
        ]


class NetworkDaily(RollupCounts):
    day = models.DateField()
    network = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "network"], name="networkdaily_unique"
            ),
        ]


class MemberMonthly(RollupCounts):
    month = models.DateField()  # the first day of the month
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "membership"], name="membermonthly_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "membership", "month"], name="membermonthly_org_member"
            )
        ]


class SegmentDaily(RollupCounts):
    """(day, advocate, campaign, network): what filters that combine (a team and a
    campaign) read. Campaign 0 is "no campaign" so the key has no NULLs to compare."""

    day = models.DateField()
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    campaign_key = models.BigIntegerField(default=0)
    network = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "membership", "campaign_key", "network"],
                name="segmentdaily_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "membership", "day"], name="segmentdaily_org_member"
            ),
            # Active advocates in a period (`figures.active_advocates`): the few rows that
            # count shares, not every row a click touched (a thirtieth of them at 10M clicks).
            models.Index(
                fields=["organization", "day", "membership"],
                condition=models.Q(shares__gt=0),
                name="segmentdaily_sharers",
            ),
        ]


class ContentDaily(RollupCounts):
    """Content performance: per approved item and day."""

    day = models.DateField()
    content_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "content_id"], name="contentdaily_unique"
            ),
        ]


# --- platform benchmarks (global) -------------------------------------------------------


class PlatformBenchmark(models.Model):
    """Anonymous percentiles of one metric across the organizations that contribute,
    computed daily in a system context. Holds no organization, so it reveals none;
    dashboards show it only when at least `MIN_ORGANIZATIONS` contributed."""

    MIN_ORGANIZATIONS = 5

    metric = models.CharField(max_length=40)
    computed_on = models.DateField()
    organizations = models.PositiveIntegerField()
    p25 = models.FloatField()
    p50 = models.FloatField()
    p75 = models.FloatField()
    p90 = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "computed_on"], name="platformbenchmark_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.computed_on}"
