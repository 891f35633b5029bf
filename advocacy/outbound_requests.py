"""The outbound gate (`advocacy.outbound`) as a `requests` transport.

Code written against `requests` (requests-oauthlib sessions: token exchange,
refresh, authenticated API calls) mounts `GatedAdapter` on its session, and every
request to an address a tenant can influence then goes through the gate: parsed
once, resolved here, every address public, the connection made to the checked
address with the original Host and TLS name (so a name re-pointed at 127.0.0.1 or
10.x after it was checked, DNS rebinding, is refused on the next call), time
limits and a body cap. The gate follows no redirect: each 3xx comes back to the
session, which sends the next hop through this adapter again, so every hop is
vetted.

Origins the operator configured (the sandbox in development, a network's fixed API
host) can be named in `trusted`: they keep the ordinary transport.

What the gate refuses comes back as `OutboundBlocked` (a `requests.ConnectionError`,
so callers that already handle "unreachable" keep working) carrying the gate's fixed
message; every failure to get an answer (refused, reset, silent, slow) is the same
class with the same message, so nothing tells an open port from a closed one.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from advocacy import outbound


class OutboundBlocked(requests.exceptions.ConnectionError):
    """The gate gave no answer. `str()` is the gate's message, safe to show an admin;
    `refused` is True when the address is not public (retrying will not help)."""

    def __init__(self, error: outbound.OutboundError, request=None) -> None:
        self.refused = isinstance(error, outbound.Refused | outbound.InvalidURL)
        super().__init__(str(error), request=request)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, f"{host}:{port}"


def _timeout(value) -> float:
    if isinstance(value, tuple):
        value = max((v for v in value if v is not None), default=None)
    return float(value) if value else outbound.TIMEOUT_SECONDS


def _body(body) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        return body.read()
    return b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in body)


class GatedAdapter(HTTPAdapter):
    """Sends each request through `advocacy.outbound.request` unless its origin is
    one of `trusted` (scheme://host[:port] URLs the operator configured)."""

    def __init__(self, *, trusted: Iterable[str] = (), max_bytes: int | None = None) -> None:
        super().__init__()
        self.trusted = frozenset(origin(url) for url in trusted if url)
        self.max_bytes = max_bytes or outbound.MAX_BYTES

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if origin(request.url) in self.trusted:
            return super().send(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        try:
            answer = outbound.request(
                request.method or "GET",
                request.url,
                body=_body(request.body),
                headers=headers,
                timeout=_timeout(timeout),
                max_bytes=self.max_bytes,
                max_redirects=0,
            )
        except outbound.OutboundError as exc:
            raise OutboundBlocked(exc, request=request) from None
        return self._response(request, answer)

    def _response(self, request, answer: outbound.Response) -> requests.Response:
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason
        response.headers = CaseInsensitiveDict({key: answer.headers[key] for key in answer.headers})
        # The gate has already decoded any Content-Encoding.
        response.headers.pop("Content-Encoding", None)
        response._content = answer.content
        response._content_consumed = True
        response.raw = io.BytesIO(answer.content)
        response.encoding = get_encoding_from_headers(response.headers)
        response.url = request.url
        response.request = request
        response.connection = self
        return response


def mount(session: requests.Session, *, trusted: Iterable[str] = ()) -> requests.Session:
    """Route every http and https request of `session` through the gate."""
    adapter = GatedAdapter(trusted=trusted)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
