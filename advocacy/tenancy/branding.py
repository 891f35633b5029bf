"""An organization's brand in the shell: its logo (stored privately, re-encoded) and its
colour, with text colours computed so that buttons and links stay readable (WCAG 2.x AA,
4.5:1 for normal text)."""

from __future__ import annotations

import io
import os
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.safestring import mark_safe

DEFAULT_ACCENT = "#5b3cc4"
AA_NORMAL_TEXT = 4.5
WHITE, DARK = "#ffffff", "#111111"
# The page background the accent is read on as text (body in chorus.css).
PAGE_BACKGROUND = "#f6f7fb"

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
LOGO_MIN_SIDE = 16
LOGO_MAX_SIDE = 4096
# What is kept: the navbar shows it 28 px high, so this is plenty for any screen density.
LOGO_STORED_BOX = (1024, 512)

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class LogoStorage(FileSystemStorage):
    """Never under MEDIA_ROOT: a logo is served only to the organization's members,
    through the organization's own URL (see docs/architecture.md, Look and feel). The
    folder is read from settings at each use, so a test's override applies."""

    @property
    def base_location(self):
        return str(settings.ORGANIZATION_LOGO_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # there is no public address
        return ""


_STORAGE = LogoStorage()


def logo_storage() -> LogoStorage:
    return _STORAGE


def logo_path(instance, filename: str) -> str:  # our name, never the uploader's
    return f"{uuid.uuid4().hex}.png"


def normalize_hex(value: str) -> str | None:
    """'#ABC', 'abc', '#AABBCC' → '#aabbcc'; anything else → None."""
    match = _HEX.match((value or "").strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def _rgb(color: str) -> tuple[int, int, int]:
    color = normalize_hex(color) or DEFAULT_ACCENT
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(color: str, other: str, weight: float) -> str:
    """`weight` of `color`, the rest of `other` (CSS color-mix in sRGB)."""
    return _hex(
        tuple(weight * c + (1 - weight) * o for c, o in zip(_rgb(color), _rgb(other), strict=True))
    )


def _readable_on(background: str, color: str) -> str:
    """`color`, darkened just enough to be read as text on `background` (4.5:1)."""
    for step in range(0, 101, 2):
        candidate = _mix(color, "#000000", 1 - step / 100)
        if contrast_ratio(candidate, background) >= AA_NORMAL_TEXT:
            return candidate
    return "#000000"


@dataclass(frozen=True)
class Palette:
    accent: str  # fills: buttons, badges, checked boxes
    on_accent: str  # text on a fill
    accent_hover: str  # a hovered or pressed fill, still readable with on_accent
    accent_text: str  # the accent as text (links, active menu items) on the page

    @property
    def accent_text_rgb(self) -> str:
        return ", ".join(str(c) for c in _rgb(self.accent_text))

    @property
    def button_contrast(self) -> float:
        return contrast_ratio(self.accent, self.on_accent)

    @property
    def marks_css(self) -> str:
        """Bootstrap draws the tick of a checked box, the dot of a chosen radio and the knob
        of a switch in white; on a light accent they are drawn in `on_accent` instead."""
        if self.on_accent == WHITE:
            return ""
        ink = "%23" + self.on_accent.removeprefix("#")  # a checked hex colour, URL-encoded
        svg = "url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg' viewBox='{}'%3e{}%3c/svg%3e\")"
        tick = svg.format(
            "0 0 20 20",
            f"%3cpath fill='none' stroke='{ink}' stroke-linecap='round' "
            "stroke-linejoin='round' stroke-width='3' d='m6 10 3 3 6-6'/%3e",
        )
        dot = svg.format("-4 -4 8 8", f"%3ccircle r='2' fill='{ink}'/%3e")
        knob = svg.format("-4 -4 8 8", f"%3ccircle r='3' fill='{ink}'/%3e")
        return mark_safe(  # noqa: S308 (built from constants and a validated hex colour)
            f".form-check-input:checked[type=checkbox] {{ --bs-form-check-bg-image: {tick}; }} "
            f".form-check-input:checked[type=radio] {{ --bs-form-check-bg-image: {dot}; }} "
            f".form-switch .form-check-input:checked {{ --bs-form-switch-bg: {knob}; }}"
        )


def palette(color: str | None) -> Palette:
    accent = normalize_hex(color or "") or DEFAULT_ACCENT
    on_accent = max((WHITE, DARK), key=lambda text: contrast_ratio(accent, text))
    if contrast_ratio(accent, on_accent) < AA_NORMAL_TEXT:
        on_accent = "#000000"  # every sRGB colour reaches 4.5:1 against white or black
    # Hover moves away from the text colour, so the text only gets easier to read.
    hover = _mix(accent, "#000000" if on_accent == WHITE else "#ffffff", 0.82)
    return Palette(
        accent=accent,
        on_accent=on_accent,
        accent_hover=hover,
        accent_text=_readable_on(PAGE_BACKGROUND, _readable_on("#ffffff", accent)),
    )


def initials(name: str) -> str:
    """Up to two letters for the badge that stands in for a missing logo."""
    words = [w for w in re.split(r"[\s\-_.,&/]+", name or "") if w]
    letters = [next((ch for ch in w if ch.isalnum()), "") for w in words]
    letters = [ch for ch in letters if ch]
    if not letters:
        return "?"
    picked = letters[0] + (letters[1] if len(letters) > 1 else "")
    return picked.upper()


def reencode_logo(image_file) -> ContentFile:
    """The upload drawn again as a PNG that fits LOGO_STORED_BOX: what is served is pixels
    Chorus wrote, never the uploaded bytes (no metadata, no polyglot file)."""
    from PIL import Image

    image_file.seek(0)
    with Image.open(image_file) as source:
        source.seek(0)  # an animated GIF keeps its first frame
        image = source.convert("RGBA")
    image.thumbnail(LOGO_STORED_BOX)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue(), name="logo.png")


@dataclass(frozen=True)
class Brand:
    """What the shell shows of an organization: its logo's address (members only) or the
    initials for the badge, and the palette of its colour (None: Chorus's own)."""

    name: str
    initials: str
    logo_url: str
    palette: Palette | None


def brand_for(organization) -> Brand | None:
    if organization is None:
        return None
    from django.urls import reverse

    logo_url = ""
    if organization.logo:
        # The file's name changes with each upload: a new logo is a new address.
        version = organization.logo.name.rsplit("/", 1)[-1].split(".", 1)[0][:12]
        logo_url = reverse("tenancy:logo", kwargs={"org_slug": organization.slug}) + f"?v={version}"
    return Brand(
        name=organization.name,
        initials=initials(organization.name),
        logo_url=logo_url,
        palette=palette(organization.brand_color) if organization.brand_color else None,
    )
