"""Rich text keeps harmless formatting only; uploads are checked by their content."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content_library import services
from content_library.media import make_thumbnail, validate_image, validate_media_file
from content_library.sanitize import clean_html, plain_text

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p onmouseover="alert(1)">hover</p>',
    '<object data="x.swf"></object><embed src=x>',
    '<form action="https://evil.example"><input name=q></form>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_lose_everything_executable(payload):
    cleaned = clean_html(payload).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "<svg",
        "<iframe",
        "style=",
        "data:",
        "<form",
        "<object",
        "<embed",
    ):
        assert needle not in cleaned


def test_safe_formatting_and_links_survive():
    html = '<h2>Do</h2><p><strong>Be</strong> <em>kind</em></p><ul><li>one</li></ul><a href="https://acme.example/policy">policy</a>'
    cleaned = clean_html(html)
    assert (
        "<h2>Do</h2>" in cleaned and "<strong>Be</strong>" in cleaned and "<li>one</li>" in cleaned
    )
    assert (
        'href="https://acme.example/policy"' in cleaned
        and 'rel="noopener noreferrer nofollow"' in cleaned
    )


def test_plain_text_strips_tags_and_script_bodies():
    assert plain_text("<p>Join <script>alert(1)</script>us &amp; win</p>") == "Join us & win"


def test_lessons_and_guidelines_are_sanitized_on_save(org_a, admin_a):
    version = services.guidelines_publish(
        organization=org_a,
        actor=admin_a,
        title="Rules",
        body="<p>Hi<img src=x onerror=alert(1)></p><script>x</script>",
    )
    assert version.body == "<p>Hi</p>"
    course = services.course_save(organization=org_a, title="Course")
    lesson = services.lesson_save(
        organization=org_a, course=course, title="L", body='<a href="javascript:alert(1)">x</a>'
    )
    assert lesson.body == '<a rel="noopener noreferrer nofollow">x</a>'


def _png(size=(800, 600), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "purple").save(out, format="PNG")
    return out.getvalue()


def test_a_real_image_passes_and_gets_a_small_thumbnail():
    upload = SimpleUploadedFile("photo.png", _png((1600, 900)), content_type="image/png")
    assert validate_image(upload) == "PNG"
    thumb = make_thumbnail(upload)
    with Image.open(thumb) as image:
        assert max(image.size) <= 640 and image.format == "JPEG"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        (
            "logo.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("photo.jpg", b"MZ\x90\x00 this is really an executable"),
        ("photo.png", b"%PDF-1.4 not an image"),
    ],
)
def test_svg_and_disguised_files_are_refused_as_images(name, content):
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile(name, content, content_type="image/png"))


def test_oversized_images_are_refused():
    upload = SimpleUploadedFile("big.png", _png(), content_type="image/png")
    upload.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError, match="at most"):
        validate_image(upload)


def test_documents_must_be_pdfs_and_videos_mp4():
    validate_media_file(
        SimpleUploadedFile("a.pdf", b"%PDF-1.7\n...", content_type="application/pdf"),
        kind="document",
    )
    with pytest.raises(ValidationError):
        validate_media_file(
            SimpleUploadedFile("a.pdf", b"<html>not a pdf", content_type="application/pdf"),
            kind="document",
        )
    validate_media_file(
        SimpleUploadedFile("v.mp4", b"\x00\x00\x00\x18ftypmp42rest", content_type="video/mp4"),
        kind="video",
    )
    with pytest.raises(ValidationError):
        validate_media_file(
            SimpleUploadedFile("v.mp4", b"RIFF....AVI ", content_type="video/mp4"), kind="video"
        )


@pytest.mark.django_db
def test_a_disguised_upload_saves_nothing(org_a, admin_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bad = SimpleUploadedFile("cat.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.content_create(
            organization=org_a, actor=admin_a, data={"kind": "image", "title": "Cat", "image": bad}
        )
    from content_library.models import ContentItem

    assert not ContentItem.objects.exists()
    assert not any(tmp_path.rglob("*"))
    good = SimpleUploadedFile("cat.png", _png(), content_type="image/png")
    item = services.content_create(
        organization=org_a, actor=admin_a, data={"kind": "image", "title": "Cat", "image": good}
    )
    assert item.image and item.thumbnail and item.display_image.endswith(".jpg")
