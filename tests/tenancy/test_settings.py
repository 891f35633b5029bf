"""Organization settings: owners and admins set name, logo, time zone, language,
sign-in domains, SSO and currency; bad uploads and values are refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from advocacy.tenancy.models import Organization, Role
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Acme Renamed",
    "timezone": "Asia/Jakarta",
    "default_language": "id",
    "currency": "IDR",
    "allowed_signin_domains": "Acme.test, @eu.acme.test acme.test",
    "sso_required": "on",
}


def _png(size=(40, 20), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, fmt)
    return buffer.getvalue()


def _snapshot(org):
    org = Organization.objects.get(pk=org.pk)
    return (
        org.name,
        org.timezone,
        org.default_language,
        org.currency,
        org.allowed_signin_domains,
        org.sso_required,
        org.logo.name,
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORGANIZATION_LOGO_ROOT = tmp_path / "logos"


def test_admin_changes_every_setting_and_uploads_a_logo(web, admin_a):
    org = admin_a.organization
    response = web.as_member(admin_a).post(
        f"/o/{org.slug}/settings/",
        {**VALID, "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png")},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.timezone, org.default_language, org.currency, org.sso_required) == (
        "Acme Renamed",
        "Asia/Jakarta",
        "id",
        "IDR",
        True,
    )
    assert org.allowed_signin_domains == "acme.test, eu.acme.test"
    logo = org.logo.name
    assert logo.endswith(".png") and org.logo.size > 0
    # saving again without a new file keeps the logo
    web.post(f"/o/{org.slug}/settings/", VALID)
    org.refresh_from_db()
    assert org.logo.name == logo


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "logo.svg",
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                content_type="image/svg+xml",
            ),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile("logo.bmp", _png(fmt="BMP"), content_type="image/bmp"),
            "PNG, JPEG, WebP or GIF",
        ),
        (
            SimpleUploadedFile(
                "huge.png",
                _png(size=(1400, 1400)) + b"\0" * (1024 * 1024),
                content_type="image/png",
            ),
            "larger than 1 MB",
        ),
    ],
)
def test_bad_logos_are_refused(web, admin_a, upload, message):
    before = _snapshot(admin_a.organization)
    response = web.as_member(admin_a).post(
        f"/o/{admin_a.organization.slug}/settings/", {**VALID, "logo": upload}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert _snapshot(admin_a.organization) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("allowed_signin_domains", "acme.test, not a domain"),
        ("currency", "XXX"),
        ("timezone", "Mars/Olympus"),
        ("name", ""),
    ],
)
def test_bad_values_are_refused(web, admin_a, field, value):
    before = _snapshot(admin_a.organization)
    response = web.as_member(admin_a).post(
        f"/o/{admin_a.organization.slug}/settings/", {**VALID, field: value}
    )
    assert response.status_code == 400
    assert _snapshot(admin_a.organization) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_open_settings(web, org_a, member_factory, role):
    person = member_factory(org_a, role)
    client = web.as_member(person)
    allowed = role in (Role.OWNER, Role.ADMIN)
    before = _snapshot(org_a)
    home = client.get(f"/o/{org_a.slug}/?home=1").content.decode()
    assert (f"/o/{org_a.slug}/settings/" in home) is allowed
    assert client.get(f"/o/{org_a.slug}/settings/").status_code == (200 if allowed else 403)
    response = client.post(f"/o/{org_a.slug}/settings/", VALID)
    assert response.status_code == (302 if allowed else 403)
    if not allowed:
        assert _snapshot(org_a) == before
