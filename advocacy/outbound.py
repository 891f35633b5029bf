"""The one gate for HTTP requests to addresses a tenant can influence.

Link previews, feed imports, Slack and Teams announcements, CRM conversion
webhooks and Mastodon instance registration all go through `request()`, so a
tenant admin cannot make Chorus's workers call inside the provider's network
(server-side request forgery):

* the URL is parsed once (`parse`), and what was parsed is what is used: http or
  https only, no user name or password, no backslashes, control characters or
  spaces, and a host that looks numeric must be a plain dotted IPv4 address
  (`2130706433`, `0x7f.1` and `127.1` are refused, not guessed at);
* the host name is resolved here (`resolve`, the seam tests replace) and every
  address must be public: private, loopback, link-local, reserved, multicast,
  unspecified and shared (CGNAT) ranges are refused, as are IPv4 addresses hidden
  inside IPv6 (mapped, 6to4, NAT64);
* the connection goes to the vetted address itself, with the original Host
  header and TLS server name, so DNS that changes between check and connect
  (rebinding) cannot steer it;
* redirects are followed by hand (GET only), each hop checked again;
* connect, each read, and the whole request (headers and body included, so a
  server dripping header bytes cannot hold a worker) have time limits, and the
  body is capped in bytes.

What went wrong is told in one of a few fixed messages. A refused address is
refused before any packet leaves, and every failure to get an answer (refused,
reset, filtered, timed out) reads the same, so the messages shown to an admin
cannot be used to scan ports.

Tests serve pages from 127.0.0.1 and open loopback with `OUTBOUND_ALLOW_LOOPBACK`
(True, or a collection of ports). Production ignores it: loopback is never
allowed there.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from urllib3.connection import HTTPConnection, HTTPSConnection

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
CONNECT_SECONDS = 5.0
MAX_REDIRECTS = 5
# No caller may hold a worker longer than this, whatever it asks for.
TIMEOUT_CAP = 30.0
USER_AGENT = "Chorus/1.0 (+https://chorus.example/bot)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Test-only switches that open loopback; read at call time, ignored in production.
LOOPBACK_SETTINGS = (
    "OUTBOUND_ALLOW_LOOPBACK",
    "CONTENT_FETCHER_ALLOW_LOOPBACK",
    "ANALYTICS_WEBHOOK_ALLOW_LOOPBACK",
)
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_FORBIDDEN_IN_URL = re.compile(r"[\x00-\x20\x7f\\]")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

MSG_UNREACHABLE = _("The address could not be reached.")
MSG_NOT_FOUND = _("The address could not be found.")
MSG_REFUSED = _("This address is not public (it points inside a private network).")
MSG_INVALID = _("This link is not valid.")
MSG_SCHEME = _("Only http and https links can be used.")
MSG_CREDENTIALS = _("Links with a user name or password cannot be used.")
MSG_TOO_LARGE = _("The answer is too large.")
MSG_REDIRECTS = _("The link redirects too many times.")


class OutboundError(Exception):
    """A request that produced no usable answer; `str()` is safe to show an admin."""

    def __init__(self, message=MSG_UNREACHABLE) -> None:
        super().__init__(str(message))


class InvalidURL(OutboundError):
    """The URL itself is unusable; retrying will not help."""


class Refused(OutboundError):
    """The address is not public; retrying will not help."""


class Unreachable(OutboundError):
    """No answer (refused, reset, filtered, DNS); may succeed later."""


class Timeout(Unreachable):
    """Out of time. Reads exactly like Unreachable, so it reveals nothing more."""


class TooLarge(OutboundError):
    pass


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # IDNA-encoded name or the literal address, without brackets
    port: int
    path: str  # path and query

    @property
    def host_header(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return shown if self.port == default else f"{shown}:{self.port}"


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status_code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    reason: str = ""

    @property
    def body(self) -> bytes:
        return self.content

    @property
    def status(self) -> int:
        return self.status_code

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _sep, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"'")
        return None

    @property
    def text(self) -> str:
        return self.content.decode(self.charset or "utf-8", errors="replace")

    def json(self):
        return json.loads(self.content)


def parse(url: str) -> Target:
    """Read a URL once, strictly; everything after uses this reading only."""
    if not isinstance(url, str) or not url or _FORBIDDEN_IN_URL.search(url):
        raise InvalidURL(MSG_INVALID)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidURL(MSG_INVALID) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURL(MSG_SCHEME)
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise InvalidURL(MSG_CREDENTIALS)
    if not parts.hostname:
        raise InvalidURL(MSG_INVALID)
    host = _host(parts.hostname)
    scheme = parts.scheme.lower()
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def _host(hostname: str) -> str:
    try:
        return str(ipaddress.ip_address(hostname))
    except ValueError:
        pass
    # Forms a C resolver would read as an address (2130706433, 0x7f.1, 127.1, 0177.0.0.1):
    # a real name never ends in a numeric label, so refuse rather than guess.
    last_label = hostname.rstrip(".").rsplit(".", 1)[-1]
    if _NUMERIC_HOST.match(last_label) or "%" in hostname:
        raise InvalidURL(MSG_INVALID)
    try:
        return hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidURL(MSG_INVALID) from None


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to. Tests replace this to simulate DNS."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Unreachable(MSG_NOT_FOUND) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _loopback_allowed(port: int) -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    for name in LOOPBACK_SETTINGS:
        allowed = getattr(settings, name, False)
        if allowed is True or (not isinstance(allowed, bool) and port in (allowed or ())):
            return True
    return False


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_allowed(address: str, port: int) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded_ipv4(ip) or ip
    if ip.is_loopback:
        return _loopback_allowed(port)
    return ip.is_global and not (
        ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def vet(target: Target) -> str:
    """The address to connect to, once every address of the host is known public."""
    try:
        addresses = [str(ipaddress.ip_address(target.host))]
    except ValueError:
        addresses = resolve(target.host, target.port)
    if not addresses:
        raise Unreachable(MSG_NOT_FOUND)
    # Refuse when any answer is internal: the resolver might hand out another one later.
    if not all(address_allowed(address, target.port) for address in addresses):
        raise Refused(MSG_REFUSED)
    return addresses[0]


def check_url(url: str) -> Target:
    """Parse and vet without sending anything (for forms that keep a URL for later)."""
    target = parse(url)
    vet(target)
    return target


class _Deadline:
    """Shuts the socket at the deadline, so no phase (headers included) outlives it."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self.sock: socket.socket | None = None
        self._timer = threading.Timer(max(seconds, 0.001), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.expired = True
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def connection_class(self, base: type[HTTPConnection]) -> type[HTTPConnection]:
        watch = self

        class Watched(base):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                watch.sock = self.sock

        return Watched

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _pool(target: Target, address: str, read_timeout: float, deadline: _Deadline):
    timeout = urllib3.Timeout(connect=min(CONNECT_SECONDS, read_timeout), read=read_timeout)
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
        pool.ConnectionCls = deadline.connection_class(HTTPSConnection)
    else:
        pool = urllib3.HTTPConnectionPool(
            address, target.port, timeout=timeout, retries=False, maxsize=1
        )
        pool.ConnectionCls = deadline.connection_class(HTTPConnection)
    return pool


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 0,
) -> Response:
    """Send one request through the gate. Any status comes back as a Response; the
    gate raises only when there is no usable answer (OutboundError subclasses)."""
    started = time.monotonic()
    timeout = min(timeout, TIMEOUT_CAP)
    for _hop in range(max_redirects + 1):
        target = parse(url)
        address = vet(target)
        remaining = timeout - (time.monotonic() - started)
        if remaining <= 0:
            raise Timeout()
        sent = {"User-Agent": USER_AGENT, **(headers or {}), "Host": target.host_header}
        with _Deadline(remaining) as deadline:
            response = _send(method, target, address, body, sent, remaining, max_bytes, deadline)
        location = response.headers.get("Location")
        if max_redirects and response.status_code in REDIRECT_STATUSES and location:
            url = urljoin(url, location)
            if response.status_code == 303 or method.upper() not in ("GET", "HEAD"):
                method, body = "GET", None
            continue
        return Response(
            url=url,
            status_code=response.status_code,
            headers=response.headers,
            content=response.content,
            reason=response.reason,
        )
    raise OutboundError(MSG_REDIRECTS)


def _send(method, target, address, body, headers, remaining, max_bytes, deadline) -> Response:
    pool = _pool(target, address, remaining, deadline)
    try:
        try:
            raw = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
            )
        except (OSError, urllib3.exceptions.HTTPError):
            raise (Timeout() if deadline.expired else Unreachable()) from None
        try:
            content = _read_capped(raw, max_bytes=max_bytes, deadline=deadline)
            return Response(
                url="",
                status_code=raw.status,
                headers=urllib3.HTTPHeaderDict(raw.headers),
                content=content,
                reason=raw.reason or "",
            )
        finally:
            raw.release_conn()
    finally:
        pool.close()


def _read_capped(raw, *, max_bytes: int, deadline: _Deadline) -> bytes:
    declared = raw.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(MSG_TOO_LARGE)
    chunks, size = [], 0
    try:
        while True:
            # read1: whatever has arrived; decoded bytes are counted, so a compressed
            # bomb stops at the cap too.
            chunk = raw.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(MSG_TOO_LARGE)
            chunks.append(chunk)
    except (OSError, urllib3.exceptions.HTTPError):
        raise (Timeout() if deadline.expired else Unreachable()) from None
    if deadline.expired:
        raise Timeout()
    return b"".join(chunks)
