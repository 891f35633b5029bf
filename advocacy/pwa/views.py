"""The manifest, the service worker script and the offline page: public, no data."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOR = "#5b3cc4"  # --chorus-accent
BACKGROUND_COLOR = "#f6f7fb"
OFFLINE_PATH = "/offline/"

# The shell a phone keeps: what the offline page and every page's first paint need.
SHELL = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "css/chorus.css",
    "pwa/register.js",
    "pwa/icon-192.png",
]


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "id": "/",
        "name": "Chorus",
        "short_name": "Chorus",
        "description": _("Share your company's news with your own network."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pwa/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("pwa/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(no_cache=True)  # browsers check for a new worker on every visit
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL]
    version = hashlib.sha256("\n".join([*shell, OFFLINE_PATH]).encode()).hexdigest()[:12]
    script = render_to_string(
        "pwa/sw.js",
        {
            "version": version,
            "shell": json.dumps(shell),
            "offline_url": json.dumps(OFFLINE_PATH),
            "static_url": json.dumps(static("")),
        },
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page a phone shows without a network, in the language it was fetched in.
    Deliberately standalone: no menu, no name, nothing of a person or organization."""
    response = render(request, "pwa/offline.html")
    response["Cache-Control"] = "no-cache"
    return response
