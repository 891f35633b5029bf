"""The organization's brand in the shell (issue 17): a logo and a colour set on the
settings page, shown in the menu of that organization's pages only, to its members only.

Contrast figures come from WCAG 2.x's definition (relative luminance, (L1 + 0.05) /
(L2 + 0.05)) and the reference values its tools publish: black on white is 21:1, and
#777777 on white is 4.48:1, just under AA's 4.5:1 for normal text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from advocacy.privacy.services import organization_erase
from advocacy.tenancy import branding
from advocacy.tenancy.models import Organization, Role

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Acme Test",
    "timezone": "UTC",
    "default_language": "en",
    "currency": "USD",
    "allowed_signin_domains": "",
}


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORGANIZATION_LOGO_ROOT = tmp_path / "logos"
    return tmp_path


def _image(size=(240, 60), fmt="PNG", mode="RGB", color="navy") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt)
    return buffer.getvalue()


def _upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _save(client, org, **extra):
    return client.post(f"/o/{org.slug}/settings/", {**SETTINGS, "name": org.name, **extra})


# ---- colour and contrast --------------------------------------------------------------


def test_contrast_follows_wcag_reference_values():
    assert branding.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert branding.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert branding.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("color", "text"),
    [("#0b1f5c", "#ffffff"), ("#ffd400", "#111111"), ("#5b3cc4", "#ffffff")],
)
def test_button_text_is_white_on_dark_colours_and_dark_on_light_ones(color, text):
    assert branding.palette(color).on_accent == text


def test_every_colour_keeps_buttons_and_links_readable():
    """Over a grid of the whole sRGB cube: the text on a button, on a hovered button and
    the accent used as link text all reach 4.5:1."""
    steps = range(0, 256, 51)
    for r in steps:
        for g in steps:
            for b in steps:
                color = f"#{r:02x}{g:02x}{b:02x}"
                p = branding.palette(color)
                assert branding.contrast_ratio(p.accent, p.on_accent) >= 4.5, color
                assert branding.contrast_ratio(p.accent_hover, p.on_accent) >= 4.5, color
                assert branding.contrast_ratio(p.accent_text, "#ffffff") >= 4.5, color
                assert branding.contrast_ratio(p.accent_text, branding.PAGE_BACKGROUND) >= 4.5


@pytest.mark.parametrize(
    ("name", "letters"),
    [("Acme Test", "AT"), ("globex", "G"), ("  PT. Sinar-Jaya  ", "PS"), ("Ünïcode Co", "ÜC")],
)
def test_initials(name, letters):
    assert branding.initials(name) == letters


def test_admin_sets_a_brand_colour_in_any_hex_form(web, admin_a):
    org = admin_a.organization
    client = web.as_member(admin_a)
    assert _save(client, org, brand_color="#0B1F5C").status_code == 302
    assert Organization.objects.get(pk=org.pk).brand_color == "#0b1f5c"
    assert _save(client, org, brand_color="fc0").status_code == 302
    assert Organization.objects.get(pk=org.pk).brand_color == "#ffcc00"
    # Chorus's own colour, or nothing: the organization follows Chorus's accent.
    assert _save(client, org, brand_color=branding.DEFAULT_ACCENT).status_code == 302
    assert Organization.objects.get(pk=org.pk).brand_color == ""


@pytest.mark.parametrize("value", ["red", "#12345g", "#1234", "rgb(0,0,0)", "#0b1f5c; }"])
def test_a_colour_that_is_not_hex_is_refused_with_a_field_error(web, admin_a, value):
    org = admin_a.organization
    response = _save(web.as_member(admin_a), org, brand_color=value)
    assert response.status_code == 400
    assert "is not a colour" in response.content.decode()
    assert Organization.objects.get(pk=org.pk).brand_color == ""


# ---- the logo -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "mode", "content_type"),
    [
        ("logo.png", "PNG", "RGBA", "image/png"),
        ("logo.jpg", "JPEG", "RGB", "image/jpeg"),
        ("logo.webp", "WEBP", "RGB", "image/webp"),
    ],
)
def test_a_logo_is_stored_privately_and_served_to_members(
    web, admin_a, member_factory, folders, name, fmt, mode, content_type
):
    org = admin_a.organization
    upload = _upload(name, _image(size=(2000, 500), fmt=fmt, mode=mode), content_type)
    assert _save(web.as_member(admin_a), org, logo=upload).status_code == 302
    org.refresh_from_db()
    stored = Path(org.logo.path)
    # Outside MEDIA_ROOT, under a name of ours, re-encoded as a PNG that fits the box.
    assert stored.is_relative_to(folders / "logos")
    assert not (folders / "media").exists() or not any((folders / "media").rglob("*"))
    assert name.split(".")[0] not in stored.name
    with Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == (1024, 256)

    employee = member_factory(org, Role.EMPLOYEE)
    response = web.as_member(employee).get(f"/o/{org.slug}/logo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            _upload(
                "logo.svg",
                b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>",
                "image/svg+xml",
            ),
            "Upload a valid image",
        ),
        (_upload("wide.png", _image(size=(5000, 40)), "image/png"), "at most 4096 pixels"),
        (_upload("tiny.png", _image(size=(10, 10)), "image/png"), "at least 16 pixels"),
        (_upload("logo.tiff", _image(fmt="TIFF"), "image/tiff"), "PNG, JPEG, WebP or GIF"),
        (
            _upload("cut.png", _image(size=(400, 400), mode="RGBA")[:300], "image/png"),
            "Upload a valid image",
        ),
    ],
)
def test_bad_logos_get_a_field_error_and_change_nothing(web, admin_a, folders, upload, message):
    org = admin_a.organization
    response = _save(web.as_member(admin_a), org, logo=upload)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert re.search(r"invalid-feedback[^>]*>[^<]*" + re.escape(message), page)
    assert Organization.objects.get(pk=org.pk).logo.name == ""
    assert not (folders / "logos").exists() or not any((folders / "logos").iterdir())


def test_a_new_logo_replaces_the_old_file_and_removing_it_deletes_it(
    web, admin_a, folders, django_capture_on_commit_callbacks
):
    org = admin_a.organization
    client = web.as_member(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        _save(client, org, logo=_upload("a.png", _image(), "image/png"))
    first = Path(Organization.objects.get(pk=org.pk).logo.path)
    with django_capture_on_commit_callbacks(execute=True):
        _save(client, org, logo=_upload("b.png", _image(color="red"), "image/png"))
    second = Path(Organization.objects.get(pk=org.pk).logo.path)
    assert second.exists() and not first.exists()
    assert "Remove the logo" in client.get(f"/o/{org.slug}/settings/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _save(client, org, remove_logo="on")
    assert Organization.objects.get(pk=org.pk).logo.name == ""
    assert not second.exists()
    assert client.get(f"/o/{org.slug}/logo/").status_code == 404


def test_another_organizations_member_cannot_read_or_infer_the_logo(web, admin_a, admin_b, client):
    org = admin_a.organization
    _save(web.as_member(admin_a), org, logo=_upload("a.png", _image(), "image/png"))
    org.refresh_from_db()
    client.force_login(admin_b.user)
    with_logo = client.get(f"/o/{org.slug}/logo/")
    unknown = client.get("/o/no-such-organization/logo/")
    # Exactly what an organization that does not exist answers.
    assert with_logo.status_code == unknown.status_code == 404
    assert with_logo.content == unknown.content
    # And nothing under the public media address.
    assert client.get(f"/media/{org.logo.name}").status_code == 404
    client.logout()
    anonymous = client.get(f"/o/{org.slug}/logo/")
    assert anonymous.status_code != 200
    assert b"PNG" not in anonymous.content


# ---- the shell ------------------------------------------------------------------------


def test_the_shell_shows_each_organizations_own_logo_and_colour(
    web, admin_a, admin_b, member_factory
):
    org_a, org_b = admin_a.organization, admin_b.organization
    _save(web.as_member(admin_a), org_a, brand_color="#0b1f5c")
    _save(
        web.as_member(admin_a),
        org_a,
        brand_color="#0b1f5c",
        logo=_upload("a.png", _image(), "image/png"),
    )
    _save(web.as_member(admin_b), org_b, brand_color="#ffd400")
    person = member_factory(org_a, Role.EMPLOYEE)
    member_factory(org_b, Role.EMPLOYEE, user=person.user)
    client = web.as_member(person)

    page_a = client.get(f"/o/{org_a.slug}/?home=1").content.decode()
    assert f'src="/o/{org_a.slug}/logo/?v=' in page_a
    assert "--chorus-accent: #0b1f5c" in page_a
    assert "--chorus-on-accent: #ffffff" in page_a
    assert '<meta name="theme-color" content="#0b1f5c">' in page_a  # the phone's title bar
    assert "#ffd400" not in page_a and f"/o/{org_b.slug}/logo/" not in page_a

    page_b = client.get(f"/o/{org_b.slug}/?home=1").content.decode()
    # No logo: the initials on the organization's colour, with dark text on yellow.
    assert 'data-testid="org-logo"' not in page_b
    assert re.search(r'data-testid="org-initials"[^>]*>BT<', page_b)
    assert "--chorus-accent: #ffd400" in page_b and "--chorus-on-accent: #111111" in page_b
    assert "#0b1f5c" not in page_b and f"/o/{org_a.slug}/logo/" not in page_b


def test_no_colour_chosen_keeps_chorus_accent(web, admin_a):
    page = web.as_member(admin_a).get(f"/o/{admin_a.organization.slug}/?home=1").content.decode()
    assert 'data-testid="brand-palette"' not in page
    assert re.search(r'data-testid="org-initials"[^>]*>AT<', page)


def test_logos_uploaded_before_move_out_of_the_public_media_folder(admin_a, folders):
    """The migration that made logos private: an old logo under MEDIA_ROOT/logos/ (with the
    uploader's file name) is re-encoded into the private folder and its public copy is
    deleted; a logo whose file is missing is simply cleared."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("advocacy.tenancy.migrations.0005_organization_brand")
    public = folders / "media" / "logos"
    public.mkdir(parents=True)
    (public / "acme-logo.png").write_bytes(_image())
    org = admin_a.organization
    Organization.objects.filter(pk=org.pk).update(logo="logos/acme-logo.png")
    other = Organization.objects.create(name="Gone", slug="gone", logo="logos/missing.png")

    migration.move_logos_out_of_media(apps, None)

    org.refresh_from_db()
    other.refresh_from_db()
    assert not (public / "acme-logo.png").exists()
    stored = Path(org.logo.path)
    assert stored.is_relative_to(folders / "logos") and "acme" not in stored.name
    with Image.open(stored) as image:
        assert image.format == "PNG" and image.size == (240, 60)
    assert other.logo.name == ""


def test_erasing_the_organization_deletes_its_logo(web, admin_a):
    org = admin_a.organization
    _save(web.as_member(admin_a), org, logo=_upload("a.png", _image(), "image/png"))
    org.refresh_from_db()
    stored = Path(org.logo.path)
    assert stored.exists()
    organization_erase(organization=org)
    assert not stored.exists()
    assert not Organization.objects.filter(pk=org.pk).exists()
