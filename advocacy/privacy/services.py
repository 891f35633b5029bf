"""Data rights: exports, deleting one's account, deleting an organization."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.accounts.models import ApiToken, User
from advocacy.accounts.services import sessions_end
from advocacy.audit.services import audit_record
from advocacy.tenancy.context import org_context, system_context
from advocacy.tenancy.models import Membership, Organization, Role
from advocacy.tenancy.tasks import enqueue_on_commit

from . import collect
from .archive import build_zip
from .models import DataExport, OrganizationDeletion, RetentionPolicy, export_keep_for

DELETION_DELAY = datetime.timedelta(days=getattr(settings, "ORGANIZATION_DELETION_DAYS", 7))


# --- exports --------------------------------------------------------------------------


@transaction.atomic
def personal_export_request(
    *, organization: Organization, requester: Membership, person_id: int | None = None
) -> DataExport:
    """A person asks for their own data; nobody may ask for someone else's."""
    if person_id is not None and person_id != requester.pk:
        raise ValidationError(_("You can only export your own data, not another person's."))
    export = DataExport.objects.create(
        organization=organization, kind=DataExport.Kind.PERSONAL, requested_by=requester.user
    )
    audit_record(
        organization=organization,
        actor=requester,
        action="export.personal_requested",
        target=export,
    )
    _enqueue(organization, export)
    return export


@transaction.atomic
def organization_export_request(*, organization: Organization, requester: Membership) -> DataExport:
    if requester.role != Role.OWNER:
        raise ValidationError(_("Only an owner can export the whole organization."))
    export = DataExport.objects.create(
        organization=organization, kind=DataExport.Kind.ORGANIZATION, requested_by=requester.user
    )
    audit_record(
        organization=organization,
        actor=requester,
        action="export.organization_requested",
        target=export,
    )
    _enqueue(organization, export)
    return export


def _enqueue(organization: Organization, export: DataExport) -> None:
    from .tasks import data_export_task

    enqueue_on_commit(data_export_task, organization_id=organization.pk, export_id=export.pk)


def export_run(*, organization: Organization, export_id: int) -> None:
    """Idempotent: a finished export is left as it is; a rerun starts it over."""
    export = DataExport.objects.for_org(organization).filter(pk=export_id).first()
    if export is None or export.is_finished:
        return

    def progress(percent: int) -> None:
        DataExport.objects.for_org(organization).filter(pk=export.pk).update(
            status=DataExport.Status.RUNNING, progress=percent
        )

    progress(1)
    if export.kind == DataExport.Kind.PERSONAL:
        sections = list(
            collect.personal_sections(organization=organization, user=export.requested_by)
        )
    else:
        sections = list(collect.organization_sections(organization=organization))
    data = build_zip(sections, total=len(sections), on_progress=progress)
    name = f"chorus-{organization.slug}-{export.kind}-{export.pk}.zip"
    export.archive.save(name, ContentFile(data), save=False)
    export.status, export.progress, export.finished_at = (
        DataExport.Status.READY,
        100,
        timezone.now(),
    )
    export.save(update_fields=["archive", "status", "progress", "finished_at"])


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete archives (file and row) older than PRIVACY_EXPORT_KEEP_DAYS, in every
    organization. Idempotent: a rerun finds nothing old left."""
    cutoff = (now or timezone.now()) - export_keep_for()
    with system_context("delete data exports past their keeping time"):
        expired = list(DataExport.objects.filter(created_at__lt=cutoff))
        for export in expired:
            if export.archive:
                export.archive.delete(save=False)
            export.delete()
    return len(expired)


# --- deleting one's account -------------------------------------------------------------


def _last_owner_of(user: User) -> list[str]:
    names = []
    for membership in Membership.objects.filter(user=user, role=Role.OWNER, is_active=True):
        others = Membership.objects.for_org(membership.organization).filter(
            role=Role.OWNER, is_active=True
        )
        if not others.exclude(pk=membership.pk).exists():
            names.append(membership.organization.name)
    return names


def account_delete(*, user: User, confirm_email: str) -> list[dict]:
    """Erase a person: their account is emptied and closed, their memberships keep
    no personal details, the ledger and shares stay for the organization's totals
    but point at no one, survey answers stay (they never named anyone). Returns the
    posts they published, so they can remove them on the networks themselves."""
    if confirm_email.strip().lower() != user.email.lower():
        raise ValidationError(_("Type your email address exactly to confirm."))
    with system_context("account deletion requested by the person"):
        last = _last_owner_of(user)
        if last:
            raise ValidationError(
                _(
                    "You are the last owner of %(orgs)s. Make someone else an owner "
                    "first, or delete the organization."
                )
                % {"orgs": ", ".join(last)}
            )
        memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    posts: list[dict] = []
    for membership in memberships:
        organization = membership.organization
        with org_context(organization), transaction.atomic():
            posts += collect.published_posts(organization=organization, membership=membership)
            Membership.objects.for_org(organization).filter(pk=membership.pk).update(
                is_active=False,
                job_title="",
                location="",
                manager=None,
                hire_date=None,
                leave_date=None,
                is_executive=False,
            )
            Membership.objects.for_org(organization).filter(manager=membership).update(manager=None)
            ApiToken.objects.for_org(organization).filter(user=user).delete()
            for export in DataExport.objects.for_org(organization).filter(requested_by=user):
                export.archive.delete(save=False)
                export.delete()
            audit_record(
                organization=organization,
                actor=None,
                action="account.deleted",
                target=("tenancy.membership", membership.pk, _("a former member")),
            )
            # The apps that hold personal data keyed by the membership erase it after commit.
            events.publish(
                events.AccountErased(
                    organization_id=organization.pk, membership_id=membership.pk, user_id=user.pk
                )
            )
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.name = ""
        user.preferred_language = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        sessions_end(user=user)  # other devices' sessions, and the drafts kept in them
    return posts


# --- deleting an organization ----------------------------------------------------------


@transaction.atomic
def organization_deletion_schedule(
    *, organization: Organization, actor: Membership, confirm_slug: str
) -> OrganizationDeletion:
    if actor.role != Role.OWNER:
        raise ValidationError(_("Only an owner can delete the organization."))
    if confirm_slug.strip() != organization.slug:
        raise ValidationError(_("Type the organization's address exactly to confirm."))
    if (
        OrganizationDeletion.objects.for_org(organization)
        .filter(cancelled_at__isnull=True)
        .exists()
    ):
        raise ValidationError(_("Deletion is already scheduled."))
    deletion = OrganizationDeletion.objects.create(
        organization=organization,
        requested_by=actor.user,
        execute_after=timezone.now() + DELETION_DELAY,
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="organization.deletion_scheduled",
        target=organization,
        details={"execute_after": deletion.execute_after},
    )
    return deletion


@transaction.atomic
def organization_deletion_cancel(*, organization: Organization, actor: Membership) -> None:
    if actor.role != Role.OWNER:
        raise ValidationError(_("Only an owner can delete the organization."))
    pending = OrganizationDeletion.objects.for_org(organization).filter(cancelled_at__isnull=True)
    if pending.update(cancelled_at=timezone.now()):
        audit_record(
            organization=organization,
            actor=actor,
            action="organization.deletion_cancelled",
            target=organization,
        )


def organization_pending_deletion(*, organization: Organization) -> OrganizationDeletion | None:
    return (
        OrganizationDeletion.objects.for_org(organization).filter(cancelled_at__isnull=True).first()
    )


def organization_erase(*, organization: Organization) -> None:
    """Every tenant row, then the organization. Foreign keys are checked at commit
    (Django makes them deferrable), so the order of tables does not matter."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL chorus.audit_erase = 'on'")
        for export in DataExport.objects.for_org(organization):
            export.archive.delete(save=False)
        if organization.logo:
            organization.logo.delete(save=False)
        for model in collect.tenant_models():
            model.objects.for_org(organization)._raw_delete(connection.alias)
        Organization.objects.filter(pk=organization.pk)._raw_delete(connection.alias)


def organization_deletions_due(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    with system_context("delete organizations whose deletion delay has passed"):
        due = list(
            OrganizationDeletion.objects.filter(
                cancelled_at__isnull=True, execute_after__lte=now
            ).select_related("organization")
        )
    for deletion in due:
        with system_context(f"erase organization {deletion.organization_id}"):
            organization_erase(organization=deletion.organization)
    return len(due)


# --- retention -------------------------------------------------------------------------

MIN_RETENTION_DAYS = 30


def retention_policy_get(*, organization: Organization) -> RetentionPolicy:
    return RetentionPolicy.objects.for_org(organization).first() or RetentionPolicy(
        organization=organization
    )


@transaction.atomic
def retention_policy_set(
    *,
    organization: Organization,
    actor: Membership,
    raw_clicks_days: int | None,
    metric_snapshots_days: int | None,
) -> RetentionPolicy:
    if actor.role != Role.OWNER:
        raise ValidationError(_("Only an owner can change how long data is kept."))
    for value in (raw_clicks_days, metric_snapshots_days):
        if value is not None and value < MIN_RETENTION_DAYS:
            raise ValidationError(
                _("Keep data at least %(days)d days, or leave the field empty to keep it for good.")
                % {"days": MIN_RETENTION_DAYS}
            )
    policy, _created = RetentionPolicy.objects.update_or_create(
        organization=organization,
        defaults={
            "raw_clicks_days": raw_clicks_days,
            "metric_snapshots_days": metric_snapshots_days,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="retention.changed",
        target=organization,
        details={
            "raw_clicks_days": raw_clicks_days,
            "metric_snapshots_days": metric_snapshots_days,
        },
    )
    return policy


def retention_policies_with_limits() -> list[tuple[int, int | None, int | None]]:
    """(organization id, click days, snapshot days) of every organization that limits either."""
    with system_context("list organizations whose data retention is limited"):
        return list(
            RetentionPolicy.objects.filter(
                models.Q(raw_clicks_days__isnull=False)
                | models.Q(metric_snapshots_days__isnull=False)
            ).values_list("organization_id", "raw_clicks_days", "metric_snapshots_days")
        )
