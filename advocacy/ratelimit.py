"""Rate limits outside allauth (which has its own `ACCOUNT_RATE_LIMITS`).

Counters live in the default cache: Redis when `REDIS_URL` is set, so every web
process shares them; local memory on a laptop. django-ratelimit keeps the fixed
windows. A limit that cannot be counted (Redis down) lets the request through:
degrade, never fail.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

log = logging.getLogger(__name__)


def hit(group: str, key: str, rate: str) -> int | None:
    """Count one attempt of `key` in `group` against `rate` ("10/m", "100/h").
    None when allowed; otherwise the seconds until it will be."""
    try:
        usage = get_usage(
            None,
            group=f"chorus.{group}",
            key=lambda _group, _request: key,
            rate=rate,
            increment=True,
        )
    except Exception:  # the cache is down: count nothing rather than refuse everyone
        log.warning("rate limit %s could not be counted", group, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def message(retry_after: int) -> str:
    return _("Too many attempts. Try again in %(seconds)s seconds.") % {"seconds": retry_after}


def too_many(retry_after: int, *, body: dict | None = None) -> HttpResponse:
    """429 with Retry-After and a JSON body that says what happened."""
    response = JsonResponse(
        body or {"error": "rate_limited", "detail": message(retry_after)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


# allauth's sign-up, sign-in and password-reset limits (ACCOUNT_RATE_LIMITS) answer through
# `<ROOT_URLCONF>.handler429`; their shortest window is a minute.
ALLAUTH_RETRY_AFTER = 60


def handler429(request: HttpRequest) -> HttpResponse:
    """A branded page (rendered without touching the database) with Retry-After."""
    response = HttpResponse(loader.get_template("429.html").render({}), status=429)
    response["Retry-After"] = str(ALLAUTH_RETRY_AFTER)
    return response
