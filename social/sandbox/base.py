"""What every simulated network shares: fault injection, bearer auth,
windowed rate limits and the error style hooks each network fills in."""

from __future__ import annotations

import json
from typing import Any

from .http import BadRequest, Request, Response, Router, json_response
from .state import Fault, SandboxState, Token, TokenError


class Abort(Exception):
    """Stop handling and answer with this response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


class Network:
    key: str = ""
    label: str = ""
    router: Router

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # -- error style hooks (override per network) --------------------------------

    def error(self, status: int, message: str, code: str | None = None) -> Response:
        return json_response({"error": code or "error", "message": message}, status)

    def auth_error(self, reason: str) -> Response:
        return self.error(401, f"access token {reason}", "unauthorized")

    def rate_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {}

    def rate_limited(self, limit: int, reset: float) -> Response:
        resp = self.error(429, "Too Many Requests", "rate_limited")
        resp.headers.update(self.rate_headers(limit, 0, reset))
        return resp

    # -- request pipeline ------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        fault = self.state.take_fault(self.key, req.path, req.method)
        if fault is not None:
            injected = self.fault_response(fault)
            if injected is not None:
                return injected
        if len(req.path) > 1:
            req.path = req.path.rstrip("/")  # Rails and friends accept a trailing slash
        found = self.router.match(req)
        if found is None:
            return self.error(404, f"no route for {req.path}", "not_found")
        if found is False:
            return self.error(405, f"method {req.method} not allowed", "method_not_allowed")
        handler, kwargs = found  # type: ignore[misc]
        try:
            resp = handler(req, **kwargs)
        except Abort as abort:
            resp = abort.response
        except BadRequest as exc:
            resp = self.error(400, str(exc), "bad_request")
        for name, value in req.response_headers.items():
            resp.headers.setdefault(name, value)
        if fault is not None and fault.kind == "timeout":
            resp.delay = fault.delay
        if fault is not None and fault.kind == "drop":
            resp.drop = True
        return resp

    def fault_response(self, fault: Fault) -> Response | None:
        if fault.kind in ("timeout", "drop"):
            return None  # handled normally, answered late or not at all
        if fault.kind == "malformed":
            return Response(
                200, b'{"data": [{"id": "1", "text": ', {"Content-Type": "application/json"}
            )
        if fault.status == 401:
            return self.auth_error("invalid")
        if fault.status == 429:
            limit, window = self.state.limits[self.key]
            now = self.state.clock.now()
            return self.rate_limited(limit, (int(now // window) + 1) * window)
        return self.error(fault.status, _REASONS.get(fault.status, "Injected fault"), "injected")

    # -- helpers for handlers ---------------------------------------------------------

    def authenticate(self, req: Request, scope: str | None = None) -> Token:
        try:
            tok = self.state.check_token(self.key, req.bearer)
        except TokenError as exc:
            raise Abort(self.auth_error(exc.reason)) from exc
        if scope and scope not in tok.scopes:
            raise Abort(self.error(403, f"token lacks the {scope} scope", "insufficient_scope"))
        return tok

    def meter(self, req: Request, subject: str, bucket: str = "default") -> None:
        """Count the call against the subject's window and set the headers."""
        allowed, limit, remaining, reset = self.state.hit(self.key, bucket, subject)
        if not allowed:
            raise Abort(self.rate_limited(limit, reset))
        req.response_headers.update(self.rate_headers(limit, remaining, reset))

    @staticmethod
    def body_json(req: Request) -> dict[str, Any]:
        data = req.json()
        if not isinstance(data, dict):
            raise BadRequest("expected a JSON object")
        return data


_REASONS = {
    426: "Requested version is not active",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def dumps(data: Any) -> bytes:
    return json.dumps(data).encode()
