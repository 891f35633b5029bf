"""The actions the audit trail knows by name. Callers may record other codes
(`<area>.<what>`); they show as the code until a label is added here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "member.role_changed": _("Role changed"),
    "member.deactivated": _("Member deactivated"),
    "member.reactivated": _("Member reactivated"),
    "member.updated": _("Member details changed"),
    "member.left": _("Member left the organization"),
    "team.created": _("Team created"),
    "team.renamed": _("Team renamed"),
    "team.deleted": _("Team deleted"),
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "sso.settings_changed": _("Single sign-on settings changed"),
    "saml.settings_changed": _("SAML sign-in settings changed"),
    "saml.sign_in_refused": _("SAML sign-in refused"),
    "saml.member_joined": _("Member joined at first SAML sign-in"),
    "organization.settings_changed": _("Organization settings changed"),
    "content.approved": _("Content approved"),
    "content.rejected": _("Content rejected"),
    "redemption.approved": _("Reward redemption approved"),
    "redemption.rejected": _("Reward redemption rejected"),
    "redemption.fulfilled": _("Reward redemption fulfilled"),
    "survey.threshold_changed": _("Anonymity threshold changed"),
    "survey.change_refused": _("Change to a closed survey refused"),
    "analytics.value_formula_changed": _("Value formula changed"),
    "audit.exported": _("Audit trail exported"),
    "export.personal_requested": _("Personal data export requested"),
    "export.organization_requested": _("Organization export requested"),
    "account.deleted": _("Account deleted"),
    "organization.deletion_scheduled": _("Organization deletion scheduled"),
    "organization.deletion_cancelled": _("Organization deletion cancelled"),
    "retention.changed": _("Data retention changed"),
    "scim.token_created": _("SCIM token created"),
    "scim.token_revoked": _("SCIM token revoked"),
    "scim.user_provisioned": _("Person provisioned by SCIM"),
    "scim.user_relinked": _("Person re-provisioned by SCIM"),
    "scim.user_updated": _("Person's directory details changed by SCIM"),
    "scim.user_deprovisioned": _("Person deprovisioned by SCIM"),
    "scim.request_refused": _("SCIM request refused"),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda c: c[1])
