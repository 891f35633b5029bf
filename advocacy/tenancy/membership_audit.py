"""What the audit trail says when someone's place in the organization, or the
organization's settings, change. Called by the services inside their transaction."""

from __future__ import annotations

from advocacy.audit.services import audit_record

from .models import Membership, Organization

SIGN_IN_SETTINGS = {"sso_required", "allowed_signin_domains"}


def _plain(value):
    return getattr(value, "pk", value) if value is not None else None


def membership_change_audit(
    *, organization: Organization, membership: Membership, actor, before: dict
) -> None:
    after = {name: getattr(membership, name) for name in before}
    if "role" in before:
        audit_record(
            organization=organization,
            actor=actor,
            action="member.role_changed",
            target=membership.user,
            details={"from": before["role"], "to": after["role"]},
        )
    folded = {"role"}
    if "is_active" in before:
        # The leave date that (de)activating sets or clears belongs to the same entry.
        leave = "leave_date" in before and before["leave_date"] != after["leave_date"]
        audit_record(
            organization=organization,
            actor=actor,
            action="member.reactivated" if after["is_active"] else "member.deactivated",
            target=membership.user,
            **(
                {"details": {"leave_date": after["leave_date"] and str(after["leave_date"])}}
                if leave
                else {}
            ),
        )
        folded |= {"is_active", "leave_date"}
    rest = sorted(set(before) - folded)
    if rest:
        audit_record(
            organization=organization,
            actor=actor,
            action="member.updated",
            target=membership.user,
            details={
                name: {"from": _plain(before[name]), "to": _plain(after[name])} for name in rest
            },
        )


def organization_settings_audit(*, organization: Organization, actor, changed: list[str]) -> None:
    sign_in = sorted(SIGN_IN_SETTINGS & set(changed))
    if sign_in:
        audit_record(
            organization=organization,
            actor=actor,
            action="sso.settings_changed",
            target=organization,
            details={name: getattr(organization, name) for name in sign_in},
        )
    rest = sorted(set(changed) - SIGN_IN_SETTINGS)
    if rest:
        audit_record(
            organization=organization,
            actor=actor,
            action="organization.settings_changed",
            target=organization,
            details={"changed": rest},
        )
