"""Upload checks and thumbnails. The declared type and the file name are not trusted:
images must open in Pillow as a raster format, documents must start like a PDF,
videos like an MP4, and each kind has a size cap. SVG is refused (it can carry script)."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 15 * 1024 * 1024
VIDEO_MAX_BYTES = 50 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
THUMBNAIL_SIZE = (640, 640)


def _head(upload, size: int = 512) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in text


def validate_image(upload) -> str:
    """Return the real format (JPEG, PNG, ...) or raise a ValidationError."""
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("Images may be at most %(mb)s MB.") % {"mb": IMAGE_MAX_BYTES // 2**20}
        )
    if upload.name.lower().endswith((".svg", ".svgz")) or _looks_like_svg(_head(upload)):
        raise ValidationError(
            _("SVG images are not accepted. Please upload a JPEG, PNG, GIF or WebP.")
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not an image we can read.")) from exc
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("Please upload a JPEG, PNG, GIF or WebP image."))
    if width * height > IMAGE_MAX_PIXELS:
        raise ValidationError(_("This image has too many pixels."))
    return image_format


def validate_media_file(upload, *, kind: str) -> None:
    """Documents are PDFs, videos are MP4; checked by their first bytes."""
    head = _head(upload, 16)
    if kind == "document":
        if upload.size > DOCUMENT_MAX_BYTES:
            raise ValidationError(
                _("Documents may be at most %(mb)s MB.") % {"mb": DOCUMENT_MAX_BYTES // 2**20}
            )
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("Documents must be PDF files."))
    elif kind == "video":
        if upload.size > VIDEO_MAX_BYTES:
            raise ValidationError(
                _("Videos may be at most %(mb)s MB.") % {"mb": VIDEO_MAX_BYTES // 2**20}
            )
        if head[4:8] != b"ftyp":
            raise ValidationError(_("Videos must be MP4 files."))
    else:
        raise ValidationError(
            _("Only documents and videos take a file; images go in the image field.")
        )


def make_thumbnail(upload) -> ContentFile:
    """A small JPEG (PNG when transparent) re-encoded from the pixels, so metadata is dropped."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.seek(0)  # first frame of a GIF
        image.thumbnail(THUMBNAIL_SIZE)
        has_alpha = image.mode in ("RGBA", "LA") or (
            image.mode == "P" and "transparency" in image.info
        )
        out = io.BytesIO()
        if has_alpha:
            image.convert("RGBA").save(out, format="PNG", optimize=True)
            extension = "png"
        else:
            image.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
            extension = "jpg"
    upload.seek(0)
    return ContentFile(out.getvalue(), name=f"thumb.{extension}")
