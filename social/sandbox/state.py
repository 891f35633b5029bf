"""In-memory, thread-safe world of the sandbox: accounts' tokens, pending
authorization codes, published posts, injected faults and rate windows."""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from .clock import SandboxClock
from .rules import Policy

NETWORKS = ("linkedin", "x", "facebook", "mastodon", "bluesky")
DAY = 86400

# Lifetimes in seconds, None = never expires. Real-world defaults.
DEFAULT_LIFETIMES: dict[str, dict[str, int | None]] = {
    "linkedin": {"access": 60 * DAY, "refresh": 365 * DAY},
    "x": {"access": 2 * 3600, "refresh": 180 * DAY},
    "facebook": {"access": 2 * 3600, "long_lived": 60 * DAY, "page": None},
    "mastodon": {"access": None, "refresh": None},
    "bluesky": {"access": 2 * 3600, "refresh": 90 * DAY},
}

# (limit, window seconds) per network bucket; each token/account gets its own
# window. LinkedIn counts per day and resets at UTC midnight; the others use
# their documented windows.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "linkedin": (500, DAY),
    "x": (300, 900),
    "facebook": (200, 3600),
    "mastodon": (300, 300),
    "bluesky": (3000, 300),
}


@dataclass
class Token:
    value: str
    network: str
    kind: str  # "access" | "refresh" | "page"
    handle: str
    client_id: str
    scopes: tuple[str, ...]
    issued_at: float
    expires_at: float | None
    revoked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AuthCode:
    code: str
    network: str
    client_id: str
    redirect_uri: str
    handle: str
    scopes: tuple[str, ...]
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float
    used: bool = False


@dataclass
class Post:
    network: str
    id: str
    author: str  # handle
    text: str
    link: str | None
    created_at: float
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "id": self.id,
            "author": self.author,
            "text": self.text,
            "link": self.link,
            "created_at": self.created_at,
            "extra": self.extra,
        }


@dataclass
class Fault:
    network: str
    # "status" | "malformed": answered instead of handling the request;
    # "timeout" | "drop": handled (a post is stored), then the answer is late
    # or never comes (the connection closes), as when a proxy or network fails.
    kind: str
    status: int = 500
    path: str | None = None  # substring of the path below the prefix
    count: int = 1
    delay: float = 10.0
    method: str | None = None  # only requests with this method (any when None)


class TokenError(Exception):
    def __init__(self, reason: str) -> None:  # "missing" | "invalid" | "expired" | "revoked"
        super().__init__(reason)
        self.reason = reason


class SandboxState:
    def __init__(self, clock: SandboxClock | None = None) -> None:
        self.clock = clock or SandboxClock()
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.clock.reset()
            self.tokens: dict[str, Token] = {}
            self.codes: dict[str, AuthCode] = {}
            self.posts: dict[str, dict[str, Post]] = {n: {} for n in NETWORKS}
            self.apps: dict[str, dict[str, Any]] = {}  # mastodon client_id -> app
            self.idempotency: dict[tuple[str, str], str] = {}
            self.faults: list[Fault] = []
            self.limits = dict(DEFAULT_LIMITS)
            self.lifetimes = {k: dict(v) for k, v in DEFAULT_LIFETIMES.items()}
            self.windows: dict[tuple[str, str, str, int], int] = {}
            self.policy = Policy()
            self.dids: dict[str, str] = {}  # Bluesky DID -> handle, once resolved
            self.daily: dict[tuple[str, str, int], int] = {}  # (kind, subject, day) -> calls
            self._seq = itertools.count(1)

    def hit_daily(self, kind: str, subject: str, limit: int) -> tuple[bool, int, float]:
        """Count one call against a 24-hour cap: (allowed, remaining, reset epoch)."""
        now = self.clock.now()
        day = int(now // DAY)
        with self.lock:
            used = self.daily.get((kind, subject, day), 0)
            allowed = used < limit
            if allowed:
                used += 1
                self.daily[(kind, subject, day)] = used
        return allowed, max(0, limit - used), float((day + 1) * DAY)

    # -- identifiers -------------------------------------------------------

    def next_id(self) -> int:
        with self.lock:
            return next(self._seq)

    # -- tokens --------------------------------------------------------------

    def issue_token(
        self,
        network: str,
        kind: str,
        handle: str,
        client_id: str,
        scopes: tuple[str, ...],
        lifetime: int | None,
        *,
        value: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Token:
        now = self.clock.now()
        tok = Token(
            value=value or f"{network[:2]}-{kind}-{secrets.token_urlsafe(24)}",
            network=network,
            kind=kind,
            handle=handle,
            client_id=client_id,
            scopes=scopes,
            issued_at=now,
            expires_at=None if lifetime is None else now + lifetime,
            extra=extra or {},
        )
        with self.lock:
            self.tokens[tok.value] = tok
        return tok

    def check_token(self, network: str, value: str | None, kind: str = "access") -> Token:
        if not value:
            raise TokenError("missing")
        with self.lock:
            tok = self.tokens.get(value)
        if tok is None or tok.network != network or (kind and tok.kind != kind):
            raise TokenError("invalid")
        if tok.revoked:
            raise TokenError("revoked")
        if tok.expires_at is not None and tok.expires_at <= self.clock.now():
            raise TokenError("expired")
        return tok

    def revoke(
        self, *, token: str | None = None, network: str | None = None, handle: str | None = None
    ) -> int:
        n = 0
        with self.lock:
            for tok in self.tokens.values():
                if (token and tok.value == token) or (
                    handle and tok.handle == handle and (network is None or tok.network == network)
                ):
                    tok.revoked = True
                    n += 1
        return n

    # -- authorization codes ----------------------------------------------------

    def issue_code(self, **kwargs: Any) -> AuthCode:
        code = AuthCode(code=secrets.token_urlsafe(24), expires_at=self.clock.now() + 600, **kwargs)
        with self.lock:
            self.codes[code.code] = code
        return code

    def consume_code(
        self, network: str, code: str, client_id: str, redirect_uri: str, verifier: str | None
    ) -> AuthCode:
        """Single use: a code is burnt on the first attempt, right or wrong,
        as real servers do to blunt replay."""
        with self.lock:
            ac = self.codes.get(code)
            if ac is None or ac.network != network or ac.used:
                raise ValueError("authorization code is invalid or was already used")
            ac.used = True
        if ac.expires_at <= self.clock.now():
            raise ValueError("authorization code has expired")
        if client_id and ac.client_id != client_id:
            raise ValueError("authorization code was issued to another client")
        if ac.redirect_uri != redirect_uri:
            raise ValueError("redirect_uri does not match the authorization request")
        if ac.code_challenge:
            if not verifier:
                raise ValueError("code_verifier is required")
            if (ac.code_challenge_method or "plain").upper() == "S256":
                digest = hashlib.sha256(verifier.encode()).digest()
                computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            else:
                computed = verifier
            if not secrets.compare_digest(computed, ac.code_challenge):
                raise ValueError("code_verifier does not match code_challenge")
        return ac

    # -- posts --------------------------------------------------------------------

    def add_post(self, post: Post) -> Post:
        with self.lock:
            self.posts[post.network][post.id] = post
        return post

    def get_post(self, network: str, post_id: str) -> Post | None:
        with self.lock:
            return self.posts[network].get(post_id)

    # -- faults ---------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, network: str, path: str, method: str = "") -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if (
                    fault.network == network
                    and (not fault.path or fault.path in path)
                    and (not fault.method or fault.method.upper() == method.upper())
                ):
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # -- rate windows -------------------------------------------------------------------

    def hit(self, network: str, bucket: str, subject: str) -> tuple[bool, int, int, float]:
        """Count one call in a fixed window: (allowed, limit, remaining, reset epoch)."""
        limit, window = self.limits[network]
        now = self.clock.now()
        start = int(now // window) * window
        key = (network, bucket, subject, start)
        with self.lock:
            if len(self.windows) > 50_000:  # forget finished windows
                self.windows = {
                    k: v for k, v in self.windows.items() if k[3] + self.limits[k[0]][1] > now
                }
            used = self.windows.get(key, 0)
            allowed = used < limit
            if allowed:
                used += 1
                self.windows[key] = used
        return allowed, limit, max(0, limit - used), float(start + window)
