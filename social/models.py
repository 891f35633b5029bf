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
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    last_error = models.CharField(max_length=500, blank=True)
    connected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Mastodon only: the instance and Chorus's app registration on it.
    instance_app = models.ForeignKey(
        "social.MastodonInstanceApp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When the employee was told that this connection is about to expire (once per expiry).
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    # When Chorus can no longer renew access by itself: the access token's expiry where the
    # network gives no refresh token, the refresh token's own expiry where it has one that
    # ends (LinkedIn partners, Bluesky); empty while Chorus can renew it indefinitely.
    renewable_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership", "network", "external_id"],
                name="connection_unique_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"

    @property
    def is_usable(self) -> bool:
        """Chorus may publish and poll through it (polling pauses otherwise)."""
        return self.status in (self.Status.ACTIVE, self.Status.EXPIRING)

    @property
    def is_broken(self) -> bool:
        return self.status == self.Status.REAUTH_REQUIRED


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

    connection = models.ForeignKey(
        Connection, on_delete=models.PROTECT, related_name="publications"
    )
    idempotency_key = models.CharField(max_length=64)
    text = models.TextField()
    link_url = models.URLField(max_length=2000, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    # The link card's title and description (the shared content's), where the card is ours to build.
    link_title = models.CharField(max_length=300, blank=True)
    link_description = models.CharField(max_length=500, blank=True)
    # The shared content's language (ISO 639-1), sent where the network takes one.
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    external_id = models.CharField(max_length=300, blank=True)
    external_url = models.URLField(max_length=1000, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # Pending after a rate limit or a transient fault: not before this time.
    retry_at = models.DateTimeField(null=True, blank=True)
    # When the last network call started (a publishing row older than this lost its worker).
    attempted_at = models.DateTimeField(null=True, blank=True)
    # Unknown ones: how often the network was checked, and whether a person must look.
    checks = models.PositiveSmallIntegerField(default=0)
    needs_manual_check = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"], name="publication_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="publication_org_status")]


class MastodonInstanceApp(models.Model):
    """Chorus's app registration on one Mastodon instance (global: the same app
    serves every organization, since the callback URL is the same for all)."""

    instance_url = models.URLField(max_length=300)
    redirect_uri = models.URLField(max_length=500)
    client_id = models.CharField(max_length=200)
    # Encrypted like the tokens: with it, anyone could impersonate Chorus on the instance.
    client_secret_ciphertext = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instance_url", "redirect_uri"], name="mastodon_app_unique_instance"
            ),
        ]

    def __str__(self) -> str:
        return self.instance_url


class AppReadsRefused(models.Model):
    """A network app (one client id, shared by every connection made with it)
    whose plan refuses reads, e.g. X's write-only tiers. Global like the app
    itself; while it stands, metrics polling for the app stops. Re-checked
    after a day, or at once when the client id in the settings changes."""

    network = models.CharField(max_length=20)
    client_id = models.CharField(max_length=200)
    refused_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "client_id"], name="app_reads_refused_unique_app"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.client_id}"


class ConnectionEvent(TenantModel):
    """What happened to an employee's connections, errors first: the rows admins
    read on the health screen (failed connects have no connection yet)."""

    class Kind(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        DISCONNECTED = "disconnected", _("Disconnected")
        REFRESHED = "refreshed", _("Access renewed")
        EXPIRING = "expiring", _("Expiring soon")
        REAUTH_REQUIRED = "reauth_required", _("Needs reconnecting")
        ERROR = "error", _("Error")

    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "-created_at"], name="connevent_org_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.kind}"


# The connection states as one importable name (the API schema names its enum after it).
ConnectionStatus = Connection.Status


class ConnectAttempt(TenantModel):
    """A connection under way whose next step calls an address outside Chorus: a
    Mastodon app registration on a new instance, a Bluesky sign-in on the account's
    own server, or the code exchange after a consent page. The web request only
    records it; a task (`social.run_connect_attempt`) makes the call, and the
    person's browser waits on a small page until the attempt is done or failed."""

    class Step(models.TextChoices):
        REGISTER = "register", "register the app on a Mastodon instance"
        LOGIN = "login", "sign in to Bluesky"
        FINISH = "finish", "exchange the consent code"
        REVOKE = "revoke", "ask the network to forget a disconnected grant"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=16, choices=Network.choices)
    step = models.CharField(max_length=16, choices=Step.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # What the person typed (a Mastodon server, a Bluesky handle).
    instance_url = models.CharField(max_length=300, blank=True)
    handle = models.CharField(max_length=300, blank=True)
    # Encrypted like the tokens and emptied once used: the Bluesky app password, or the
    # consent code with its PKCE verifier.
    secret_ciphertext = models.TextField(blank=True)
    redirect_uri = models.CharField(max_length=500, blank=True)
    instance_app = models.ForeignKey(
        MastodonInstanceApp, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Where the person goes afterwards (a page of the same organization).
    next_url = models.CharField(max_length=500, blank=True)
    # What went wrong, as a kind the page puts in words (never the address's own answer).
    error_kind = models.CharField(max_length=40, blank=True)
    error_code = models.CharField(max_length=100, blank=True)
    error_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "membership", "created_at"], name="attempt_mine")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.step} {self.status}"
