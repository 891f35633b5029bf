"""Public pages of analytics: the /r/ short links when Django answers them."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from advocacy.errors import unavailable
from analytics.clicks.redirect import (
    NOT_FOUND,
    UNAVAILABLE,
    LinkLookupUnavailable,
    short_link_location,
)


def short_link(request, code: str = ""):
    """302 to a stored link's target (click recorded), else a friendly 404, or the
    branded 503 when the code is not cached and the database cannot be asked.

    Behind `ShortLinkDispatcher` only misses reach this view; it then skips the
    lookup it would repeat."""
    if request.META.get(UNAVAILABLE):
        return unavailable(request)
    if request.method in ("GET", "HEAD") and not request.META.get(NOT_FOUND):
        try:
            location = short_link_location(request.META, in_django=True)
        except LinkLookupUnavailable:
            return unavailable(request)
        if location is not None:
            return HttpResponse(
                status=302, headers={"Location": location, "Cache-Control": "no-store"}
            )
    return render(request, "analytics/link_not_found.html", status=404)
