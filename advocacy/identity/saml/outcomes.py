"""Why a SAML sign-in was refused, in words for the person and the admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from onelogin.saml2.errors import OneLogin_Saml2_ValidationError as V

REASONS = {
    "signed_in": _("Signed in"),
    "joined": _("Joined at first sign-in"),
    "unsigned": _(
        "The identity provider sent an assertion without a signature. Chorus accepts signed "
        "assertions only."
    ),
    "bad_signature": _(
        "The assertion's signature does not match the identity provider's certificate."
    ),
    "expired": _("The sign-in assertion has expired. Please sign in again."),
    "not_yet_valid": _(
        "The sign-in assertion is not valid yet. Check the identity provider's clock."
    ),
    "wrong_audience": _(
        "The assertion was made for another application, not for this organization's Chorus."
    ),
    "replayed": _("This sign-in assertion was already used. Please sign in again."),
    "invalid": _("The identity provider's answer could not be accepted."),
    "idp_initiated": _(
        "Sign-ins must start at Chorus. Open Chorus and choose to sign in with single sign-on."
    ),
    "unknown_request": _(
        "This answer does not belong to a sign-in started in this browser. Please sign in again."
    ),
    "no_response": _("No answer from the identity provider arrived. Please sign in again."),
    "no_email": _("The identity provider did not send an e-mail address."),
    "not_a_member": _(
        "You are not a member of this organization in Chorus yet. Ask your HR admin to invite you."
    ),
}

_BY_CODE = {
    V.NO_SIGNED_ASSERTION: "unsigned",
    V.NO_SIGNED_MESSAGE: "unsigned",
    V.NO_SIGNATURE_FOUND: "unsigned",
    V.INVALID_SIGNATURE: "bad_signature",
    V.WRONG_NUMBER_OF_SIGNATURES: "bad_signature",
    V.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION: "bad_signature",
    V.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE: "bad_signature",
    V.ASSERTION_EXPIRED: "expired",
    V.SESSION_EXPIRED: "expired",
    V.ASSERTION_TOO_EARLY: "not_yet_valid",
    V.WRONG_AUDIENCE: "wrong_audience",
}


def reason_for(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    if isinstance(exc, V) and code in _BY_CODE:
        return _BY_CODE[code]
    text = str(exc).lower()
    if "expired" in text:  # SubjectConfirmationData NotOnOrAfter is reported by text only
        return "expired"
    if "signature" in text:
        return "bad_signature"
    return "invalid"
