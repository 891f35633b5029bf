"""python3-saml settings for one organization, and reading an identity provider's metadata.

Chorus is the service provider: its entity ID is the organization's metadata URL, its
assertion consumer service the ACS URL (both under /accounts/saml/<org>/). Signed assertions
are required, python3-saml runs strict (destination, audience, times, InResponseTo shape),
and SHA-1 signatures are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from .models import SamlConnection


class MetadataError(ValueError):
    """The identity provider's metadata cannot be used; the message says why, for the admin."""


@dataclass(frozen=True)
class IdentityProvider:
    entity_id: str
    sso_url: str
    certificates: tuple[str, ...]


def sp_urls(request, organization_slug: str) -> dict[str, str]:
    def absolute(name: str) -> str:
        return request.build_absolute_uri(
            reverse(name, kwargs={"organization_slug": organization_slug})
        )

    return {
        "entity_id": absolute("saml_metadata"),
        "metadata": absolute("saml_metadata"),
        "acs": absolute("saml_acs"),
        "login": absolute("saml_login"),
    }


def parse_metadata(xml: str) -> IdentityProvider:
    """Read entity ID, HTTP-Redirect sign-in URL and signing certificates from IdP metadata."""
    if not xml.strip():
        raise MetadataError(_("The metadata is empty."))
    try:
        data = OneLogin_Saml2_IdPMetadataParser.parse(
            xml, required_sso_binding=C.BINDING_HTTP_REDIRECT
        )
    except Exception as exc:  # lxml/defusedxml raise many kinds; the admin needs one message
        raise MetadataError(
            _("This is not SAML metadata XML (%(error)s).") % {"error": exc}
        ) from exc
    idp = data.get("idp") or {}
    entity_id = idp.get("entityId", "")
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    certs = list(((idp.get("x509certMulti") or {}).get("signing")) or [])
    if not certs and idp.get("x509cert"):
        certs = [idp["x509cert"]]
    if not entity_id:
        raise MetadataError(_("The metadata names no identity provider (IDPSSODescriptor)."))
    if not sso_url:
        raise MetadataError(_("The metadata has no sign-in URL for the HTTP-Redirect binding."))
    if not certs:
        raise MetadataError(_("The metadata has no signing certificate."))
    for cert in certs:
        certificate_check(cert)
    return IdentityProvider(entity_id=entity_id, sso_url=sso_url, certificates=tuple(certs))


def certificate_check(cert: str) -> None:
    from cryptography import x509

    try:
        pem = OneLogin_Saml2_Utils.format_cert(cert)
        parsed = x509.load_pem_x509_certificate(pem.encode())
    except Exception as exc:
        raise MetadataError(_("A signing certificate in the metadata cannot be read.")) from exc
    from django.utils import timezone

    if parsed.not_valid_after_utc < timezone.now():
        raise MetadataError(
            _("The signing certificate expired on %(date)s.")
            % {"date": parsed.not_valid_after_utc.date().isoformat()}
        )


def saml_settings(request, connection: SamlConnection, organization_slug: str) -> dict:
    urls = sp_urls(request, organization_slug)
    certs = [c for c in connection.idp_certificates.split("\n\n") if c.strip()]
    idp: dict = {
        "entityId": connection.idp_entity_id,
        "singleSignOnService": {"url": connection.idp_sso_url, "binding": C.BINDING_HTTP_REDIRECT},
    }
    if len(certs) == 1:
        idp["x509cert"] = certs[0]
    else:
        idp["x509certMulti"] = {"signing": certs}
    return {
        "strict": True,
        "sp": {
            "entityId": urls["entity_id"],
            "assertionConsumerService": {"url": urls["acs"], "binding": C.BINDING_HTTP_POST},
            "NameIDFormat": C.NAMEID_UNSPECIFIED,
        },
        "idp": idp,
        "security": {
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "authnRequestsSigned": False,
            "wantAttributeStatement": False,
            "rejectDeprecatedAlgorithm": True,
            "signatureAlgorithm": C.RSA_SHA256,
            "digestAlgorithm": C.SHA256,
            "allowRepeatAttributeName": True,
            # "localhost" during development; a URL check only, not a trust decision.
            "allowSingleLabelDomains": True,
        },
    }


def request_data(request) -> dict:
    return {
        "https": "on" if request.is_secure() else "off",
        "http_host": request.get_host(),
        "script_name": request.META.get("SCRIPT_NAME", ""),
        "path_info": request.path_info,
        "get_data": request.GET.copy(),
        "post_data": request.POST.copy(),
    }
