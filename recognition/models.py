"""Recognition and rewards: the points ledger, badges, shout-outs, awards, rewards and newsletters.

The ledger (`PointEntry`) is append-only: a balance is the sum of an advocate's
counted entries. The only change an entry may ever see is its review status
(held for anti-gaming review → counted or voided); points, person and cause never
change. `MemberBalance` is a lock row, not a cache: every ledger write for one
person locks it first, so daily caps and redemptions cannot race.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.tenancy.models import Membership, TenantModel


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class RecognitionSettings(TenantModel):
    """Rules of the program for one organization; sensible defaults when an admin changed nothing."""

    points_per_share = models.PositiveIntegerField(_("points per share"), default=10)
    # {"linkedin": 15}: a network that is worth more (or less) to the program than the default.
    points_per_network = models.JSONField(_("points per network"), default=dict, blank=True)
    clicks_per_milestone = models.PositiveIntegerField(_("clicks per milestone"), default=10)
    points_per_click_milestone = models.PositiveIntegerField(
        _("points per click milestone"), default=5
    )
    points_per_course = models.PositiveIntegerField(_("points per course completed"), default=20)
    points_per_pulse = models.PositiveIntegerField(_("points per pulse survey answered"), default=5)
    points_per_shoutout = models.PositiveIntegerField(_("points per shout-out received"), default=5)
    daily_cap = models.PositiveIntegerField(
        _("daily points cap"),
        default=100,
        help_text=_(
            "Most points one person can earn per day from shares, clicks, courses, surveys and shout-outs."
        ),
    )
    shoutouts_per_day = models.PositiveIntegerField(
        _("shout-outs one person may send per day"), default=5
    )
    point_value = models.DecimalField(
        _("value of one point"),
        max_digits=10,
        decimal_places=4,
        default=Decimal("0.01"),
        help_text=_("In the organization's currency; used for the liability report."),
    )
    executives_on_own_board = models.BooleanField(
        _("executives on their own leaderboard"), default=True
    )
    quick_delete_hours = models.PositiveIntegerField(
        _("hours after which deleting a share is no longer suspicious"), default=24
    )
    feed_token = models.CharField(max_length=64, default=_feed_token, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], name="recognition_settings_one_per_org"
            )
        ]

    def points_for_network(self, network: str) -> int:
        value = (self.points_per_network or {}).get(network)
        return int(value) if isinstance(value, int) and value >= 0 else self.points_per_share


class MemberBalance(TenantModel):
    """One row per advocate, locked (SELECT … FOR UPDATE) around every ledger write."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"], name="recognition_balance_one_per_member"
            )
        ]


class Cause(models.TextChoices):
    SHARE = "share", _("Share published")
    CLICKS = "clicks", _("Clicks earned")
    COURSE = "course", _("Course completed")
    PULSE = "pulse", _("Pulse survey answered")
    SHOUTOUT = "shoutout", _("Shout-out received")
    AWARD = "award", _("Award")
    REDEMPTION = "redemption", _("Reward redeemed")
    REFUND = "refund", _("Redemption refunded")
    ADJUSTMENT = "adjustment", _("Adjustment by an admin")


# Causes that count towards the daily cap: the automatic ones, not awards or admin decisions.
CAPPED_CAUSES = frozenset({Cause.SHARE, Cause.CLICKS, Cause.COURSE, Cause.PULSE, Cause.SHOUTOUT})


class EntryStatus(models.TextChoices):
    COUNTED = "counted", _("Counted")
    HELD = "held", _("Held for review")
    VOIDED = "voided", _("Voided after review")


class GamingFlag(TenantModel):
    class Kind(models.TextChoices):
        RECIPROCAL_SHOUTOUTS = "reciprocal_shoutouts", _("Reciprocal shout-out ring")
        SHOUTOUT_CYCLE = "shoutout_cycle", _("Shout-out ring of three")
        SELF_CLICKS = "self_clicks", _("Burst of self-clicks")
        QUICK_DELETE = "quick_delete", _("Share deleted right after points were awarded")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed: points voided")
        DISMISSED = "dismissed", _("Dismissed: points counted")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("advocate")
    )
    other_membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reference_id = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "status", "kind"], name="recognition_flag_status")
        ]


class LedgerIsAppendOnly(Exception):
    pass


class PointEntry(TenantModel):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("advocate")
    )
    points = models.IntegerField(_("points"))
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)
    # What the entry is about in the app that caused it (a share, a course, a redemption…).
    reference_id = models.BigIntegerField(null=True, blank=True)
    # How much of the cause this entry stands for: clicks newly counted for a share.
    quantity = models.PositiveIntegerField(default=1)
    network = models.CharField(max_length=32, blank=True)
    # The shared content's title as it was when the share was published (newsletter, ledger).
    content_title = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=160)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    status = models.CharField(
        max_length=8, choices=EntryStatus.choices, default=EntryStatus.COUNTED
    )
    flag = models.ForeignKey(
        GamingFlag, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    REVIEWABLE_FIELDS = frozenset({"status", "flag"})

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"], name="recognition_entry_idempotent"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "membership", "created_at"], name="recognition_entry_member"
            ),
            models.Index(fields=["organization", "created_at"], name="recognition_entry_time"),
            models.Index(
                fields=["organization", "cause", "reference_id"], name="recognition_entry_ref"
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (
            update_fields is None or not set(update_fields) <= self.REVIEWABLE_FIELDS
        ):
            raise LedgerIsAppendOnly("ledger entries only change their review status")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("ledger entries are never deleted")


class RecognitionPreference(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    show_on_leaderboards = models.BooleanField(
        _("show me on public leaderboards and the recognition feed outside Chorus"), default=True
    )
    receive_newsletter = models.BooleanField(
        _("send me the monthly recognition newsletter"), default=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"], name="recognition_pref_one_per_member"
            )
        ]


class Badge(TenantModel):
    class Metric(models.TextChoices):
        SHARES = "shares", _("Shares published")
        CLICKS = "clicks", _("Clicks earned")
        STREAK_WEEKS = "streak_weeks", _("Weeks in a row with a share")
        COURSES = "courses", _("Courses completed")
        ALL_COURSES = "all_courses", _("Every course of the program completed")
        SHOUTOUTS = "shoutouts", _("Shout-outs received")
        SHOUTOUTS_SENT = "shoutouts_sent", _("Shout-outs sent")
        POINTS = "points", _("Points earned")

    key = models.SlugField(max_length=40, blank=True)  # set for the built-in badges
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=255, blank=True)
    icon = models.CharField(
        _("icon"), max_length=40, default="award", help_text=_("A Bootstrap icon name, e.g. trophy")
    )
    metric = models.CharField(_("measured by"), max_length=16, choices=Metric.choices)
    threshold = models.PositiveIntegerField(_("threshold"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["metric", "threshold", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="recognition_badge_name")
        ]

    def __str__(self) -> str:
        return self.name


class BadgeAward(TenantModel):
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "badge", "membership"], name="recognition_badge_once"
            )
        ]


class CompanyValue(TenantModel):
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="recognition_value_name")
        ]

    def __str__(self) -> str:
        return self.name


class ShoutOut(TenantModel):
    """One item of the recognition feed."""

    class Kind(models.TextChoices):
        PEER = "peer", _("Shout-out")
        THANKS = "thanks", _("Thanks from leadership")
        AWARD = "award", _("Award")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PEER)
    sender = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    value = models.ForeignKey(
        CompanyValue, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("value")
    )
    message = models.TextField(_("message"), max_length=1000)
    share_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at"], name="recognition_shoutout_time"),
            models.Index(
                fields=["organization", "sender", "recipient"], name="recognition_shoutout_pair"
            ),
        ]


class Reaction(TenantModel):
    class Emoji(models.TextChoices):
        CLAP = "clap", "👏"
        HEART = "heart", "❤️"
        PARTY = "party", "🎉"
        STAR = "star", "⭐"

    shoutout = models.ForeignKey(ShoutOut, on_delete=models.CASCADE, related_name="reactions")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=8, choices=Emoji.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "shoutout", "membership", "emoji"],
                name="recognition_reaction_once",
            )
        ]


class Comment(TenantModel):
    shoutout = models.ForeignKey(ShoutOut, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("comment"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organization", "shoutout"], name="recognition_comment_shoutout")
        ]


class RepostRequest(TenantModel):
    """A leader asks to repost an advocate's share on the company's account; nothing happens
    until the advocate consents, and the sharing side carries it out (ShareRepostRequested)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the advocate's consent")
        CONSENTED = "consented", _("Consented")
        DECLINED = "declined", _("Declined")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not carried out yet")
        REPOSTED = "reposted", _("Reposted on the company's account")
        FAILED = "failed", _("The repost failed")

    shoutout = models.ForeignKey(ShoutOut, on_delete=models.CASCADE, related_name="repost_requests")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    share_id = models.BigIntegerField()
    requested_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # What the sharing side reported back (ShareReposted) after the advocate consented.
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    outcome_error = models.CharField(max_length=255, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "shoutout"], name="recognition_repost_once"
            )
        ]


class AwardProgram(TenantModel):
    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every quarter")
        YEARLY = "yearly", _("Every year")

    name = models.CharField(_("name"), max_length=80)
    cadence = models.CharField(
        _("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    points = models.PositiveIntegerField(_("points for the winner"), default=200)
    voting_enabled = models.BooleanField(_("employees vote"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="recognition_award_name")
        ]

    def __str__(self) -> str:
        return self.name


class AwardRound(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for nominations")
        CLOSED = "closed", _("Winner announced")

    program = models.ForeignKey(AwardProgram, on_delete=models.CASCADE, related_name="rounds")
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    winner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "program__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program", "period_start"], name="recognition_round_once"
            )
        ]


class Nomination(TenantModel):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="nominations")
    nominee = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("nominee")
    )
    nominated_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "round", "nominee", "nominated_by"],
                name="recognition_nomination_once",
            )
        ]


class Vote(TenantModel):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    nominee = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "round", "voter"], name="recognition_vote_once"
            )
        ]


class Reward(TenantModel):
    class Kind(models.TextChoices):
        GIFT_CARD = "gift_card", _("Gift card")
        DAY_OFF = "day_off", _("Extra day off")
        SWAG = "swag", _("Company swag")
        DONATION = "donation", _("Charity donation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    cost_points = models.PositiveIntegerField(_("cost in points"))
    value = models.DecimalField(
        _("value"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("What the reward costs the company, in the organization's currency."),
    )
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("Empty for unlimited.")
    )
    is_available = models.BooleanField(_("available"), default=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)

    class Meta:
        ordering = ["cost_points", "name"]

    def __str__(self) -> str:
        return self.name

    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


class RewardBudget(TenantModel):
    """The most the program may spend on approved redemptions in a period."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("The first day after the period."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_start"], name="recognition_budget_period"
            )
        ]


class Redemption(TenantModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected, points refunded")
        FULFILLED = "fulfilled", _("Fulfilled")

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    note = models.CharField(_("fulfilment note"), max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "status", "decided_at"],
                name="recognition_redemption_status",
            )
        ]


class ThankYouNote(TenantModel):
    """A personal thank-you from a leader: emailed and shown in the advocate's recognition page."""

    sender = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=4000)
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "recipient", "sent_at"], name="recognition_thanks_recipient"
            )
        ]


class Newsletter(TenantModel):
    month = models.DateField()  # the first day of the month it is about
    intro = models.TextField(_("introduction"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"], name="recognition_newsletter_month"
            )
        ]


class NewsletterDelivery(TenantModel):
    """One row per recipient, so a rerun after a crash never mails anyone twice."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "newsletter", "membership"],
                name="recognition_newsletter_once",
            )
        ]
