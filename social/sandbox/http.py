"""Just enough HTTP plumbing for the sandbox: a request object, responses,
a regex router and a threaded stdlib server. No framework on purpose: the
sandbox must start anywhere the project's Python runs."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class BadRequest(Exception):
    """Raised by request helpers; networks render it in their own error style."""


@dataclass
class Request:
    method: str
    path: str  # below the network prefix, e.g. "/2/tweets"
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    raw_query: str = ""
    network: Any = None  # the Network handling it, set by the dispatcher
    response_headers: dict[str, str] = field(default_factory=dict)  # merged into the answer

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise BadRequest(f"request body is not valid JSON: {exc}") from exc

    def form(self) -> dict[str, str]:
        """Form fields from the body merged over the query string; OAuth
        token endpoints accept both."""
        merged = {k: v[0] for k, v in self.query.items()}
        ctype = self.header("content-type", "") or ""
        if self.body and "json" in ctype:
            data = self.json()
            if isinstance(data, dict):
                merged.update({k: str(v) for k, v in data.items()})
        elif self.body:
            parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            merged.update({k: v[0] for k, v in parsed.items()})
        return merged

    @property
    def bearer(self) -> str | None:
        auth = self.header("authorization", "") or ""
        if auth[:7].lower() == "bearer ":
            return auth[7:].strip()
        return None

    @property
    def basic(self) -> tuple[str, str] | None:
        auth = self.header("authorization", "") or ""
        if auth[:6].lower() != "basic ":
            return None
        try:
            user, _, pwd = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return None
        from urllib.parse import unquote

        return unquote(user), unquote(pwd)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering (timeout faults)
    drop: bool = False  # close the connection instead of answering (drop faults)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    hdrs = {"Content-Type": "application/json; charset=utf-8"}
    hdrs.update(headers or {})
    return Response(status, json.dumps(data).encode(), hdrs)


def html_response(markup: str, status: int = 200) -> Response:
    return Response(status, markup.encode(), {"Content-Type": "text/html; charset=utf-8"})


def redirect(location: str) -> Response:
    return Response(302, b"", {"Location": location})


Handler = Callable[..., Response]


class Router:
    """Routes (method, path regex) to handlers; named groups become kwargs."""

    def __init__(self) -> None:
        self._routes: list[tuple[set[str], re.Pattern[str], Handler]] = []

    def add(self, methods: str, pattern: str, handler: Handler) -> None:
        self._routes.append((set(methods.split()), re.compile(f"^{pattern}$"), handler))

    def route(self, methods: str, pattern: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.add(methods, pattern, fn)
            return fn

        return deco

    def match(self, req: Request) -> tuple[Handler, dict[str, str]] | bool | None:
        """The handler and its kwargs; False if the path exists with another method."""
        seen_path = False
        for methods, pattern, handler in self._routes:
            m = pattern.match(req.path)
            if not m:
                continue
            seen_path = True
            if req.method in methods:
                return handler, m.groupdict()
        return False if seen_path else None


def make_request(method: str, target: str, headers: dict[str, str], body: bytes) -> Request:
    parts = urlsplit(target)
    return Request(
        method=method.upper(),
        path=parts.path or "/",
        query=parse_qs(parts.query, keep_blank_values=True),
        headers={k.lower(): v for k, v in headers.items()},
        body=body,
        raw_query=parts.query,
    )


App = Callable[[Request], Response]


def serve(app: App, host: str, port: int, *, quiet: bool = True) -> ThreadingHTTPServer:
    """A ThreadingHTTPServer (HTTP/1.1 keep-alive) that hands every request to ``app``."""
    import time

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ChorusSandbox/1.0"

        def _dispatch(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            req = make_request(self.command, self.path, dict(self.headers.items()), body)
            resp = app(req)
            if resp.delay:
                time.sleep(resp.delay)
            if resp.drop:
                # The work is done but the answer is lost on the way back.
                self.close_connection = True
                return
            try:
                self.send_response(resp.status)
                for name, value in resp.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (e.g. a timeout fault); nothing to tell it.
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch

        def log_message(self, format: str, *args: Any) -> None:
            if not quiet:
                super().log_message(format, *args)

    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    return server
