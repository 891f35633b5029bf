"""The address of the request being served, so services record it without
every caller passing it along. Only a keyed hash of it is ever stored."""

from __future__ import annotations

import hashlib
import hmac
from contextvars import ContextVar

from django.conf import settings

_request_ip: ContextVar[str | None] = ContextVar("chorus_audit_ip", default=None)


def ip_hash(ip: str | None) -> str:
    if not ip:
        return ""
    key = hashlib.sha256(("audit-ip:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()


def current_ip() -> str | None:
    return _request_ip.get()


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            _request_ip.reset(token)
