"""Organizations (the tenant), memberships, teams and invitations.

Every tenant-owned model in Chorus inherits `TenantModel`. Its manager's only
entry point for request code is `for_org(organization)`.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .branding import logo_path, logo_storage
from .context import CrossTenantWrite, current_org


class Role(models.TextChoices):
    OWNER = "owner", pgettext_lazy("role", "Owner")
    ADMIN = "admin", pgettext_lazy("role", "HR admin")
    CURATOR = "curator", pgettext_lazy("role", "Curator")
    MANAGER = "manager", pgettext_lazy("role", "Manager")
    EMPLOYEE = "employee", pgettext_lazy("role", "Employee")


# Roles ordered by how much of the organization they may run.
ROLE_RANK = {Role.EMPLOYEE: 0, Role.MANAGER: 1, Role.CURATOR: 1, Role.ADMIN: 2, Role.OWNER: 3}

TIMEZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=50, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=TIMEZONE_CHOICES
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    logo = models.ImageField(
        _("logo"), upload_to=logo_path, storage=logo_storage, blank=True, max_length=200
    )
    brand_color = models.CharField(
        _("brand colour"),
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(r"^#[0-9a-f]{6}$", _("Enter a colour as # and six hex digits."))
        ],
    )
    allowed_signin_domains = models.CharField(
        _("allowed sign-in domains"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated email domains allowed to join, e.g. acme.com"),
    )
    sso_required = models.BooleanField(_("single sign-on required"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Onboarding checklist steps done, ticked by the features themselves.
    onboarding = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=dj_timezone.now, editable=False)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantQuerySet(models.QuerySet):
    def for_org(self, organization: Organization) -> TenantQuerySet:
        if organization is None or organization.pk is None:
            raise ValueError("for_org() needs a saved organization")
        return self.filter(organization=organization)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    pass


class TenantModel(models.Model):
    """A row owned by exactly one organization."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        org = current_org()
        if org is not None and self.organization_id != org.pk:
            raise CrossTenantWrite(
                f"{type(self).__name__} of organization {self.organization_id} saved "
                f"inside organization {org.pk}'s context"
            )
        super().save(*args, **kwargs)


class Team(TenantModel):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        LOCATION = "location", _("Location")
        GROUP = "group", _("Group")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent team"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # One team per name in an organization, whatever the case or the parent: people
            # pick teams by name (filters, imports, survey results), so two "Sales" mislead.
            models.UniqueConstraint("organization", Lower("name"), name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    # Row-level security lets a person read their own memberships in every
    # organization (the organization switcher), never anyone else's.
    rls_person_field = "user"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("team"),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("manager"),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    leave_date = models.DateField(_("leave date"), null=True, blank=True)
    is_executive = models.BooleanField(_("executive"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization_id} ({self.role})"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)


class Invitation(TenantModel):
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("team")
    )
    token_hash = models.CharField(max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "token_hash"], name="invitation_unique_token"
            ),
        ]
        indexes = [models.Index(fields=["organization", "email"], name="invitation_org_email")]

    def __str__(self) -> str:
        return self.email

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= dj_timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class ImportJob(TenantModel):
    """One upload of the directory CSV: its progress and, row by row, what was wrong.

    The file's text lives here until the job finishes so the task can read it on
    any worker; it is cleared then (it holds personal data)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Checking rows")
        SAVING = "saving", _("Saving")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Not imported")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    content = models.TextField(blank=True, editable=False)
    send_welcome = models.BooleanField(
        _("email new people a link to set their password"), default=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    teams_created = models.PositiveIntegerField(default=0)
    # [{"line": 7, "code": "unknown_manager", "params": {...}}], rendered in the reader's language
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="importjob_org_created")
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        # Checking the rows is most of the work; saving is the last stretch.
        checked = 90 * self.processed_rows // self.total_rows
        return checked + (5 if self.status == self.Status.SAVING else 0)


# Models that are not owned by one organization. The meta-test fails for any
# model that is neither a TenantModel nor listed here.
GLOBAL_MODELS: frozenset[str] = frozenset(
    {
        "tenancy.organization",
        "accounts.user",
        # Django and libraries
        "admin.logentry",
        "auth.permission",
        "auth.group",
        "contenttypes.contenttype",
        "sessions.session",
        "account.emailaddress",
        "account.emailconfirmation",
        "mfa.authenticator",
        "socialaccount.socialaccount",
        "socialaccount.socialapp",
        "socialaccount.socialtoken",
        "django_celery_beat.periodictask",
        "django_celery_beat.periodictasks",
        "django_celery_beat.crontabschedule",
        "django_celery_beat.intervalschedule",
        "django_celery_beat.solarschedule",
        "django_celery_beat.clockedschedule",
    }
)
