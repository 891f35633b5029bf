"""Public conversion endpoints: the JavaScript snippet, the pixel, and the server API.

None of them belongs to an organization's URL space: the snippet and pixel name
the organization by its public key, the server API by its secret key. Errors are
machine-readable (`{"error": code, "detail": message}`) and change nothing.
"""

from __future__ import annotations

import base64
import json

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from advocacy import ratelimit
from advocacy.tenancy.context import org_context
from analytics.conversions.record import (
    MAX_BODY_BYTES,
    ConversionError,
    conversion_input_parse,
    conversion_record,
    organization_for_key,
    organization_for_public_key,
)
from analytics.models import Conversion

# Per organization key (server API or public key) and per click id; Redis-backed.
RATE_PER_KEY = "600/m"
RATE_PER_CLICK = "10/m"
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
MAX_QUERY_LENGTH = 2048


def _limited(key: str, click_id: object) -> int | None:
    """Seconds to wait when this key or this click is sending too fast, else None."""
    retry = ratelimit.hit("conversions.key", key, RATE_PER_KEY)
    if retry is None and isinstance(click_id, str) and click_id:
        retry = ratelimit.hit("conversions.click", f"{key}:{click_id[:24]}", RATE_PER_CLICK)
    return retry


def _error(error: ConversionError) -> JsonResponse:
    return JsonResponse({"error": error.code, "detail": error.message}, status=error.status)


def _accepted(conversion: Conversion, created: bool) -> JsonResponse:
    return JsonResponse(
        {
            "status": "recorded" if created else "duplicate",
            "id": conversion.pk,
            "attribution": {
                "share": conversion.share_id,
                "advocate": conversion.membership_id,
                "campaign": conversion.campaign_id,
                "content": conversion.content_id,
                "network": conversion.network,
            },
        },
        status=201 if created else 200,
    )


@csrf_exempt
@require_POST
@never_cache
def conversions_api(request):
    """POST /api/v1/conversions with `Authorization: Bearer chk_...` and one JSON conversion."""
    header = request.headers.get("Authorization", "")
    raw_key = (
        header[7:].strip()
        if header.lower().startswith("bearer ")
        else request.headers.get("X-Chorus-Key", "")
    )
    organization = organization_for_key(raw_key) if raw_key else None
    if organization is None:
        return _error(
            ConversionError(
                "unauthorized", _("The organization key is missing, wrong or revoked."), 401
            )
        )
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_BODY_BYTES:
        return _error(ConversionError("too_large", _("Send at most 8 KB per conversion."), 413))
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _error(ConversionError("too_large", _("Send at most 8 KB per conversion."), 413))
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(ConversionError("invalid", _("The body is not valid JSON.")))
    retry = _limited(
        f"org:{organization.pk}", data.get("click_id") if isinstance(data, dict) else ""
    )
    if retry is not None:
        return ratelimit.too_many(retry)
    with org_context(organization):
        try:
            parsed = conversion_input_parse(data, default_currency=organization.currency)
            conversion, created = conversion_record(
                organization=organization, data=parsed, source=Conversion.Source.API
            )
        except ConversionError as error:
            return _error(error)
    return _accepted(conversion, created)


def _pixel(status: int, outcome: str) -> HttpResponse:
    response = HttpResponse(PIXEL, content_type="image/gif", status=status)
    response["Cache-Control"] = "no-store"
    response["X-Chorus-Conversion"] = outcome  # the only way a pixel can say what happened
    return response


@require_GET
def conversion_pixel(request):
    """GET /t/p.gif?k=<public key>&c=<click id>&t=<type>&v=<value>&cur=<currency>&x=<reference>"""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return _pixel(413, "too_large")
    organization = organization_for_public_key(request.GET.get("k", ""))
    if organization is None:
        return _pixel(400, "unknown_key")
    data = {
        "click_id": request.GET.get("c", ""),
        "type": request.GET.get("t", ""),
        "value": request.GET.get("v") or 0,
        "currency": request.GET.get("cur", ""),
        "external_id": request.GET.get("x", ""),
    }
    retry = _limited(f"org:{organization.pk}", data["click_id"])
    if retry is not None:
        response = _pixel(429, "rate_limited")
        response["Retry-After"] = str(retry)
        return response
    with org_context(organization):
        try:
            parsed = conversion_input_parse(data, default_currency=organization.currency)
            _conversion, created = conversion_record(
                organization=organization, data=parsed, source=Conversion.Source.PIXEL
            )
        except ConversionError as error:
            return _pixel(error.status, error.code)
    return _pixel(200, "recorded" if created else "duplicate")


@require_GET
@cache_control(public=True, max_age=3600)
def conversion_snippet(request, public_key: str):
    """GET /t/<public key>.js: remembers the click id from the landing URL and sends conversions."""
    if organization_for_public_key(public_key) is None:
        return HttpResponse("/* unknown Chorus key */", content_type="text/javascript", status=404)
    script = render_to_string(
        "analytics/snippet.js",
        {"public_key": public_key, "pixel_url": request.build_absolute_uri("/t/p.gif")},
    )
    return HttpResponse(script, content_type="text/javascript")
