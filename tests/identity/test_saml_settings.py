"""The owner's SAML settings page: what an owner copies into Okta or Entra, what they upload,
and what happens with metadata that cannot work (a clear error, nothing saved)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.audit.models import AuditEntry
from advocacy.identity.models import SamlConnection
from advocacy.tenancy.models import Role

pytestmark = pytest.mark.django_db

FORM = {
    "attribute_email": "email",
    "attribute_first_name": "firstName",
    "attribute_last_name": "lastName",
    "attribute_team": "team",
    "attribute_role": "role",
}


def _page(org):
    return f"/o/{org.slug}/settings/saml/"


def _upload(xml: str, **extra):
    return {
        **FORM,
        "metadata_file": SimpleUploadedFile("idp.xml", xml.encode(), "text/xml"),
        **extra,
    }


def _expired_certificate_body() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old idp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now - dt.timedelta(days=35))
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(Encoding.PEM).decode()
    return "".join(pem.strip().splitlines()[1:-1])


def test_owner_sees_the_urls_to_copy(web, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    page = web.as_member(owner).get(_page(org_a))
    body = page.content.decode()
    assert page.status_code == 200
    for path in ("metadata/", "acs/", "login/"):
        assert f"http://testserver/accounts/saml/{org_a.slug}/{path}" in body
    assert body.count("data-copy=") == 4


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CURATOR, Role.MANAGER, Role.EMPLOYEE])
def test_only_owners_may_configure_sign_in(web, org_a, member_factory, role, idp):
    member = member_factory(org_a, role)
    client = web.as_member(member)
    assert client.get(_page(org_a)).status_code == 403
    assert client.post(_page(org_a), _upload(idp.metadata_xml(), enabled="on")).status_code == 403
    assert not SamlConnection.objects.for_org(org_a).exists()


def test_another_organizations_owner_gets_not_found(web, org_a, org_b, member_factory):
    owner_b = member_factory(org_b, Role.OWNER)
    assert web.as_member(owner_b).get(_page(org_a)).status_code == 404


def test_uploading_metadata_saves_the_identity_provider(web, org_a, member_factory, idp):
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    response = client.post(_page(org_a), _upload(idp.metadata_xml(), enabled="on"))
    assert response.status_code == 302
    connection = SamlConnection.objects.for_org(org_a).get()
    assert (connection.idp_entity_id, connection.enabled) == (idp.entity_id, True)
    assert connection.idp_sso_url == f"{idp.base_url}/sso/redirect"
    assert idp.entity_id in client.get(_page(org_a)).content.decode()
    entry = AuditEntry.objects.for_org(org_a).get(action="saml.settings_changed")
    assert entry.details["identity_provider"] == idp.entity_id
    # the SP metadata now answers, and names the ACS
    metadata = client.get(f"/accounts/saml/{org_a.slug}/metadata/").content.decode()
    assert f"http://testserver/accounts/saml/{org_a.slug}/acs/" in metadata
    assert 'WantAssertionsSigned="true"' in metadata


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        ("", "Turning sign-in on"),
        ("<html><body>not xml at all", "not SAML metadata XML"),
        (
            "<EntityDescriptor xmlns='urn:oasis:names:tc:SAML:2.0:metadata' entityID='x'/>",
            "names no identity provider",
        ),
    ],
)
def test_metadata_that_cannot_work_is_refused_and_nothing_is_saved(
    web, org_a, member_factory, xml, words
):
    owner = member_factory(org_a, Role.OWNER)
    data = {**FORM, "enabled": "on"}
    if xml:
        data = _upload(xml, enabled="on")
    response = web.as_member(owner).post(_page(org_a), data)
    assert response.status_code == 400
    body = response.content.decode()
    if words == "Turning sign-in on":
        assert "before turning sign-in on" in body
    else:
        assert words in body
    assert not SamlConnection.objects.for_org(org_a).exists()
    assert not AuditEntry.objects.for_org(org_a).filter(action="saml.settings_changed").exists()


def test_metadata_with_an_expired_certificate_is_refused(web, org_a, member_factory, idp):
    owner = member_factory(org_a, Role.OWNER)
    xml = idp.metadata_xml()
    current = re.search(r"X509Certificate>([^<]+)</", xml)[1]
    stale = xml.replace(current, _expired_certificate_body())
    response = web.as_member(owner).post(_page(org_a), _upload(stale, enabled="on"))
    assert response.status_code == 400
    assert "The signing certificate expired on" in response.content.decode()
    assert not SamlConnection.objects.for_org(org_a).exists()


def test_test_the_connection(web, org_a, member_factory, idp):
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    nothing = client.post(_page(org_a), {"action": "test"})
    assert nothing.status_code == 400 and "metadata first" in nothing.content.decode()

    client.post(_page(org_a), _upload(idp.metadata_xml(), enabled="on"))
    ok = client.post(_page(org_a), {"action": "test"})
    assert ok.status_code == 200
    assert "signing certificate is valid" in ok.content.decode()
    assert 'data-testid="saml-try"' in ok.content.decode()


def test_the_page_in_indonesian(web, org_a, member_factory):
    owner = member_factory(org_a, Role.OWNER)
    client = web.as_member(owner)
    client.cookies["django_language"] = "id"
    body = client.get(_page(org_a)).content.decode()
    assert "Single sign-on SAML" in body and "Uji koneksi" in body and "Salin" in body
