"""Invitations: invite by email with a role and team; the link creates or links the account.

The raw token is `<organization id>-<secret>`: the organization part lets the
accept page look the invitation up inside that organization's context (no
cross-tenant search), the secret is what proves the link. Only its SHA-256
is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import ensure_in_org
from .context import org_context
from .emails import absolute_url, build_email, recipient_language, send_all
from .models import Invitation, Membership, Organization, Role, Team
from .permissions import OWNERS
from .services import email_domain_allowed, membership_add, onboarding_step_complete

INVITATION_LIFETIME = timedelta(days=14)
MAX_INVITES_AT_ONCE = 200
_TOKEN = re.compile(r"^(?P<org>[0-9]{1,18})-(?P<secret>[A-Za-z0-9_-]{20,100})$")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token(organization: Organization) -> tuple[str, str]:
    raw = f"{organization.pk}-{secrets.token_urlsafe(32)}"
    return raw, _hash(raw)


def invitation_url(raw: str) -> str:
    return absolute_url(reverse("invitation_accept", kwargs={"token": raw}))


def assignable_roles(*, actor_role: str) -> list[tuple[str, str]]:
    """Only an owner may make another owner."""
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.OWNER or actor_role in OWNERS
    ]


def _send(invitation: Invitation, raw: str) -> None:
    organization = invitation.organization
    user = get_user_model().objects.filter(email__iexact=invitation.email).first()
    inviter = invitation.invited_by
    message = build_email(
        to=invitation.email,
        template="invitation",
        language=recipient_language(organization=organization, user=user),
        context={
            "organization": organization,
            "inviter": inviter.get_full_name() if inviter else organization.name,
            "role": invitation.role,
            "url": invitation_url(raw),
            "expires_at": invitation.expires_at,
        },
    )
    send_all([message])


def _send_on_commit(invitation: Invitation, raw: str) -> None:
    transaction.on_commit(lambda: _send(invitation, raw))


def _clean_email(*, organization: Organization, email: str) -> str:
    email = email.strip().lower()
    validate_email(email)
    if not email_domain_allowed(organization=organization, email=email):
        raise ValidationError(
            _("%(email)s is not in a domain this organization allows.") % {"email": email}
        )
    return email


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    role: str,
    team: Team | None,
    invited_by,
    actor_role: str,
) -> tuple[Invitation, str]:
    email = _clean_email(organization=organization, email=email)
    if role not in dict(assignable_roles(actor_role=actor_role)):
        raise ValidationError({"role": _("You may not invite people with this role.")})
    ensure_in_org(organization, team)
    if (
        Membership.objects.for_org(organization)
        .filter(user__email__iexact=email, is_active=True)
        .exists()
    ):
        raise ValidationError(_("%(email)s is already a member.") % {"email": email})
    pending = [
        invitation
        for invitation in Invitation.objects.for_org(organization).filter(email=email)
        if invitation.state == Invitation.State.PENDING
    ]
    if pending:
        raise ValidationError(
            _("%(email)s already has a pending invitation; resend it instead.") % {"email": email}
        )
    raw, token_hash = _new_token(organization)
    now = timezone.now()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        team=team,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=now + INVITATION_LIFETIME,
        last_sent_at=now,
        send_count=1,
    )
    _send_on_commit(invitation, raw)
    return invitation, raw


@dataclass
class BulkInviteResult:
    invited: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (email, reason)


def split_emails(text: str) -> list[str]:
    """Addresses pasted from a spreadsheet or an email client: any separator, each once."""
    seen: dict[str, None] = {}
    for part in re.split(r"[\s,;]+", text):
        part = part.strip().strip("<>").lower()
        if part:
            seen.setdefault(part)
    return list(seen)


def invitations_create_many(
    *,
    organization: Organization,
    emails: list[str],
    role: str,
    team: Team | None,
    invited_by,
    actor_role: str,
) -> BulkInviteResult:
    """Invite each address on its own; one bad address does not stop the others."""
    result = BulkInviteResult()
    if len(emails) > MAX_INVITES_AT_ONCE:
        raise ValidationError(
            _("Invite at most %(count)d people at once.") % {"count": MAX_INVITES_AT_ONCE}
        )
    for email in emails:
        try:
            invitation_create(
                organization=organization,
                email=email,
                role=role,
                team=team,
                invited_by=invited_by,
                actor_role=actor_role,
            )
        except ValidationError as error:
            result.skipped.append((email, " ".join(error.messages)))
        else:
            result.invited.append(email)
    return result


@transaction.atomic
def invitation_resend(*, organization: Organization, invitation: Invitation) -> str:
    """A fresh link (the old one stops working) and a fresh expiry."""
    ensure_in_org(organization, invitation)
    if invitation.state in (Invitation.State.ACCEPTED, Invitation.State.REVOKED):
        raise ValidationError(_("Only a pending or expired invitation can be sent again."))
    raw, invitation.token_hash = _new_token(organization)
    now = timezone.now()
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.last_sent_at = now
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at", "send_count"])
    _send_on_commit(invitation, raw)
    return raw


def invitation_revoke(*, organization: Organization, invitation: Invitation) -> None:
    ensure_in_org(organization, invitation)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_get_by_token(*, raw: str) -> Invitation | None:
    match = _TOKEN.match(raw or "")
    if match is None:
        return None
    organization = Organization.objects.filter(pk=int(match["org"]), is_active=True).first()
    if organization is None:
        return None
    with org_context(organization):
        invitation = (
            Invitation.objects.for_org(organization)
            .select_related("organization", "team", "invited_by")
            .filter(token_hash=_hash(raw))
            .first()
        )
    return invitation


class InvitationUnusable(Exception):
    """Expired, revoked or already used: the link changes nothing."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def invitation_accept(
    *, invitation: Invitation, user=None, name: str = "", password: str = ""
) -> Membership:
    """Join the organization. `user` is the signed-in person (whose email must match);
    without one, a new account is created with `name` and `password`."""
    organization = invitation.organization
    User = get_user_model()
    with org_context(organization), transaction.atomic():
        # Lock the row: two clicks on one link make one membership.
        locked = Invitation.objects.for_org(organization).select_for_update().get(pk=invitation.pk)
        if locked.state != Invitation.State.PENDING:
            raise InvitationUnusable(locked.state)
        if user is None:
            if User.objects.filter(email__iexact=locked.email).exists():
                raise ValidationError(_("An account with this email exists; sign in to accept."))
            password_validation.validate_password(password, User(email=locked.email, name=name))
            user = User.objects.create_user(
                email=locked.email,
                password=password,
                name=name.strip(),
                preferred_language=organization.default_language,
            )
        elif user.email.lower() != locked.email.lower():
            raise ValidationError(_("This invitation is for another email address."))
        _verify_email(user, locked.email)
        existing = Membership.objects.for_org(organization).filter(user=user).first()
        fields = {"team": locked.team} if locked.team_id else {}
        if existing is not None and existing.is_active:
            membership = existing  # already in; the invitation is used up, nothing else changes
        else:
            membership = membership_add(
                organization=organization, user=user, role=locked.role, leave_date=None, **fields
            )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        onboarding_step_complete(organization=organization, step="invite_people")
    return membership


def _verify_email(user, email: str) -> None:
    """The invitation link reached this mailbox, which proves the address."""
    from allauth.account.models import EmailAddress

    address, _created = EmailAddress.objects.get_or_create(
        user=user,
        email=email.lower(),
        defaults={"verified": True, "primary": not user.emailaddress_set.exists()},
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
