"""The one way Chorus fetches a URL someone typed (link previews, feed imports).

It guards against server-side request forgery:

* only http and https, no credentials in the URL;
* the host name is resolved here (`resolve`, the seam tests may replace) and every
  address it resolves to must be public: private, loopback, link-local, reserved,
  multicast, unspecified and shared (CGNAT) addresses are refused;
* the connection goes to the vetted address itself, with the original Host header
  and TLS server name, so a DNS answer that changes between check and connect
  (rebinding) cannot steer it elsewhere;
* redirects are followed by hand, at most `MAX_REDIRECTS`, each hop checked again;
* the body is streamed and capped in bytes, and the whole fetch in time.

Tests serve pages from 127.0.0.1; they set `CONTENT_FETCHER_ALLOW_LOOPBACK`, read at
call time, which production never sets: True allows loopback, a collection of port
numbers allows loopback on those ports only (so a test can still prove that a
redirect to another loopback port is refused).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "ChorusLinkPreview/1.0 (+https://chorus.example/bot)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that did not produce a usable page; `str()` is safe to show a curator."""


class BlockedAddress(FetchError):
    pass


class TooLarge(FetchError):
    pass


class FetchTimeout(FetchError):
    pass


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _sep, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"'")
        return None


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to. Tests replace this to simulate DNS."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(_("The address could not be found.")) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def _loopback_allowed(port: int) -> bool:
    allowed = getattr(settings, "CONTENT_FETCHER_ALLOW_LOOPBACK", False)
    if isinstance(allowed, bool):
        return allowed
    return port in allowed


def address_allowed(address: str, port: int) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return _loopback_allowed(port)
    return ip.is_global and not (
        ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def _vetted_address(host: str, port: int) -> str:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        addresses = resolve(host, port)
    else:
        addresses = [str(literal)]
    if not addresses:
        raise FetchError(_("The address could not be found."))
    # Refuse when any answer is internal: the resolver might hand out another one later.
    if not all(address_allowed(address, port) for address in addresses):
        raise BlockedAddress(
            _("This address points inside a private network and cannot be fetched.")
        )
    return addresses[0]


def _split(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Only http and https links can be fetched."))
    if not parts.hostname:
        raise FetchError(_("This link has no host name."))
    if parts.username or parts.password:
        raise FetchError(_("Links with a user name or password cannot be fetched."))
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except (UnicodeError, ValueError) as exc:
        raise FetchError(_("This link is not valid.")) from exc
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, host, port, path


def _pool(scheme: str, host: str, address: str, port: int, timeout: float):
    pool_timeout = urllib3.Timeout(connect=timeout, read=timeout)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=pool_timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=pool_timeout, retries=False, maxsize=1)


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
) -> FetchResult:
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _split(url)
        address = _vetted_address(host, port)
        default_port = 443 if scheme == "https" else 80
        host_header = host if port == default_port else f"{host}:{port}"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout(_("The site took too long to answer."))
        pool = _pool(scheme, host, address, port, remaining)
        try:
            response = pool.urlopen(
                "GET",
                path,
                headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": accept},
                redirect=False,
                retries=False,
                preload_content=False,
            )
        except (TimeoutError, urllib3.exceptions.TimeoutError) as exc:
            pool.close()
            raise FetchTimeout(_("The site took too long to answer.")) from exc
        except urllib3.exceptions.HTTPError as exc:
            pool.close()
            raise FetchError(_("The site could not be reached.")) from exc
        try:
            if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status >= 400:
                raise FetchError(
                    _("The site answered with an error (%(status)s).") % {"status": response.status}
                )
            body = _read_capped(response, max_bytes=max_bytes, deadline=deadline)
            return FetchResult(
                url=url,
                status=response.status,
                content_type=response.headers.get("Content-Type", ""),
                body=body,
            )
        finally:
            response.release_conn()
            pool.close()
    raise FetchError(_("The link redirects too many times."))


def _read_capped(response, *, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(_("The page is too large to fetch."))
    chunks, size = [], 0
    try:
        while True:
            # read1: whatever has arrived, so a server dripping bytes meets the deadline;
            # decoded bytes are counted, so a compressed bomb stops at the cap too.
            chunk = response.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(_("The page is too large to fetch."))
            if time.monotonic() > deadline:
                raise FetchTimeout(_("The site took too long to answer."))
            chunks.append(chunk)
    except (TimeoutError, urllib3.exceptions.TimeoutError) as exc:
        raise FetchTimeout(_("The site took too long to answer.")) from exc
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(_("The site could not be reached.")) from exc
    return b"".join(chunks)
