"""Error answers: branded pages for people, problem details (RFC 9457) for the API.

A dependency that is down (the database refuses or times out, Redis or the broker
cannot be reached) is a 503 with `Retry-After`, never a 500: nothing is wrong with
the request, it can be repeated shortly. Error pages are rendered without touching
the database (no session, no organization, no menu), so they render while it is down.
Anything under /api/ gets `application/problem+json` instead of a page.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Sign-in required"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Too large"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Something went wrong on our side"),
    503: gettext_lazy("Temporarily unavailable"),
}


def dependency_unavailable(exc: BaseException | None) -> bool:
    """The error says a dependency is down or hung, not that the code is wrong."""
    if exc is None:
        return False
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True  # refused, timed out, statement timeout, "database is locked"
    if isinstance(exc, DatabaseError):
        return False  # a bad query is our bug: 500
    try:
        from kombu.exceptions import OperationalError as BrokerDown
        from redis.exceptions import ConnectionError as RedisDown
        from redis.exceptions import TimeoutError as RedisTimeout
    except ImportError:  # pragma: no cover - both are dependencies
        return False
    return isinstance(exc, (RedisDown, RedisTimeout, BrokerDown))


def problem(status: int, *, detail: str = "", **members) -> JsonResponse:
    """An RFC 9457 problem details answer."""
    body = {"type": "about:blank", "title": str(TITLES.get(status, "")), "status": status}
    if detail:
        body["detail"] = detail
    body.update(members)
    response = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _page(template: str, status: int) -> HttpResponse:
    # No request context: context processors would query the database.
    response = HttpResponse(loader.get_template(template).render({}), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem(503, detail=_("A service Chorus depends on is not answering. Try again."))
    return _page("503.html", 503)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem(404, detail=_("Not found."))
    return _page("404.html", 404)


def handler500(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block, so the error is still at hand.
    exc = sys.exc_info()[1]
    if dependency_unavailable(exc):
        log.warning("dependency unavailable on %s: %s", request.path, type(exc).__name__)
        return unavailable(request)
    if _is_api(request):
        return problem(500, detail=_("The error was recorded; please try again later."))
    return _page("500.html", 500)


def _first_message(errors) -> str:
    """The first message of a (possibly nested) DRF error structure, for `detail`."""
    if isinstance(errors, dict):
        for value in errors.values():
            if found := _first_message(value):
                return found
        return ""
    if isinstance(errors, list):
        for value in errors:
            if found := _first_message(value):
                return found
        return ""
    return str(errors)


def api_exception_handler(exc, context):
    """DRF errors as problem details: `type`, `title`, `status` and `detail` are the RFC's
    members, whatever the serializer's fields are called. Field errors go under one
    extension member, `errors` (`{field: [messages]}`, `non_field_errors` for the rest),
    so a field named `title` or `detail` cannot collide with them. A dependency that is
    down is a 503."""
    from django.core.exceptions import ValidationError as DomainValidationError
    from rest_framework.exceptions import ValidationError

    from advocacy.tenancy.api import exception_handler

    if dependency_unavailable(exc):
        return unavailable(context["request"]._request)
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: handler500 answers it
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(response.status_code, "")),
        "status": response.status_code,
    }
    data = response.data
    if isinstance(exc, (ValidationError, DomainValidationError)):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        body["detail"] = _first_message(errors) or _("The input is not valid.")
        body["errors"] = errors
    elif isinstance(data, dict):
        members = {k: v for k, v in data.items() if k not in ("type", "title", "status")}
        body.update(members)
    else:
        body["detail"] = _first_message(data)
    response.data = body
    if response.status_code == 503:
        response["Retry-After"] = response.get("Retry-After") or str(RETRY_AFTER_SECONDS)
    renderer = getattr(context["request"], "accepted_renderer", None)
    if getattr(renderer, "format", "json") == "json":
        response.content_type = PROBLEM_JSON
    return response
