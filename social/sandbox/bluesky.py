"""A Bluesky PDS + AppView over XRPC: app-password sessions with JWT-shaped
rotating tokens, createRecord posts with external link cards, getPosts (25
at most), getProfile, getPostThread replies, and ratelimit-* headers."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from typing import Any

from advocacy import lengths

from .base import Abort, Network
from .clock import iso
from .engagement import comments, engagement, followers, stable_int
from .http import Request, Response, Router, json_response
from .state import Post, Token, TokenError

router = Router()
MAX_URIS = 25
_APP_PASSWORD = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$")
_POST_URI = re.compile(r"^at://(did:plc:[a-z2-7]+)/app\.bsky\.feed\.post/([a-z2-7]+)$")
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_SORT32 = "234567abcdefghijklmnopqrstuvwxyz"


def _b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _enc(n: int, alphabet: str, length: int) -> str:
    out = []
    for _ in range(length):
        n, r = divmod(n, 32)
        out.append(alphabet[r])
    return "".join(reversed(out))


def _digest32(*parts: object) -> str:
    """Lower-case base32 of a SHA-256, the alphabet of DIDs and CIDs."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return base64.b32encode(digest).decode().lower().rstrip("=")


# Accounts whose handle ends with this live on the sandbox's second PDS
# (served at /bluesky-pds2); the main one (/bluesky) plays bsky.social. Each
# server signs in and writes only for its own accounts, and the DID document
# (served by the sandbox's PLC directory at /bluesky/plc/<did>) says which it
# is: https://atproto.com/specs/did , https://web.plc.directory/api/redoc
OTHER_PDS_SUFFIX = ".pds2.test"
OTHER_PDS_PREFIX = "bluesky-pds2"


class BlueskyNetwork(Network):
    key = "bluesky"
    label = "Bluesky"
    router = router
    prefix = "bluesky"

    def hosts(self, handle: str) -> bool:
        return (self.prefix == OTHER_PDS_PREFIX) == handle.lower().endswith(OTHER_PDS_SUFFIX)

    def authenticate(self, req: Request, scope: str | None = None) -> Token:
        tok = super().authenticate(req, scope)
        if not self.hosts(tok.handle):
            # Another server's token: this PDS did not sign it.
            raise Abort(self.auth_error("invalid"))
        return tok

    def error(self, status: int, message: str, code: str | None = None) -> Response:
        name = (
            code
            if code and code[0].isupper()
            else {401: "AuthMissing", 404: "NotFound", 429: "RateLimitExceeded"}.get(
                status, "InternalServerError" if status >= 500 else "InvalidRequest"
            )
        )
        return json_response({"error": name, "message": message}, status)

    def auth_error(self, reason: str) -> Response:
        if reason == "expired":
            return self.error(400, "Token has expired", "ExpiredToken")
        if reason == "missing":
            return self.error(401, "Authentication Required", "AuthMissing")
        return self.error(401, "Token could not be verified", "InvalidToken")

    def rate_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        window = self.state.limits[self.key][1]
        return {
            "ratelimit-limit": str(limit),
            "ratelimit-remaining": str(remaining),
            "ratelimit-reset": str(int(reset)),
            "ratelimit-policy": f"{limit};w={window}",
        }

    def rate_limited(self, limit: int, reset: float) -> Response:
        resp = self.error(429, "Rate Limit Exceeded", "RateLimitExceeded")
        resp.headers.update(self.rate_headers(limit, 0, reset))
        return resp

    def did(self, handle: str) -> str:
        return "did:plc:" + _digest32("did", handle.lower())[:24]

    def jwt(self, kind: str, handle: str, lifetime: int | None) -> Token:
        """JWT-shaped tokens, because clients (the atproto SDK) read exp from them."""
        now = self.state.clock.now()
        payload = {
            "scope": f"com.atproto.{kind}",
            "sub": self.did(handle),
            "aud": "did:web:sandbox.invalid",
            "iat": int(now),
            "exp": int(now + (lifetime or 10 * 365 * 86400)),
            "jti": secrets.token_hex(8),
        }
        header = {"typ": "at+jwt" if kind == "access" else "refresh+jwt", "alg": "ES256K"}
        value = f"{_b64(header)}.{_b64(payload)}.{_b64(secrets.token_bytes(32))}"
        return self.state.issue_token(
            "bluesky", kind, handle, "app-password", ("atproto",), lifetime, value=value
        )

    def session(self, handle: str) -> dict[str, Any]:
        life = self.state.lifetimes["bluesky"]
        return {
            "did": self.did(handle),
            "handle": handle,
            "email": f"{handle.split('.')[0]}@example.com",
            "emailConfirmed": True,
            "accessJwt": self.jwt("access", handle, life["access"]).value,
            "refreshJwt": self.jwt("refresh", handle, life["refresh"]).value,
            "active": True,
        }

    def cid(self, *parts: object) -> str:
        return "bafyrei" + _enc(
            stable_int("cid", *parts) << 192 | stable_int("cid2", *parts), _B32, 52
        )


def _net(req: Request) -> BlueskyNetwork:
    return req.network  # type: ignore[no-any-return]


def _normalize(handle: str) -> str:
    handle = handle.strip().lstrip("@").lower()
    return handle if "." in handle else f"{handle}.bsky.social"


@router.route("POST", "/xrpc/com.atproto.server.createSession")
def create_session(req: Request) -> Response:
    net = _net(req)
    body = net.body_json(req)
    ident, password = str(body.get("identifier") or ""), str(body.get("password") or "")
    if not ident or not _APP_PASSWORD.match(password):
        raise Abort(net.error(401, "Invalid identifier or password", "AuthenticationRequired"))
    handle = _normalize(ident)
    if ident.startswith("did:"):
        handle = net.state.dids.get(ident, "")
    if not net.hosts(handle):
        # bsky.social knows only the accounts it hosts; the others sign in on their PDS.
        raise Abort(net.error(401, "Invalid identifier or password", "AuthenticationRequired"))
    net.meter(req, handle, "createSession")
    return json_response(net.session(handle))


@router.route("GET", "/xrpc/com.atproto.identity.resolveHandle")
def resolve_handle(req: Request) -> Response:
    """Any handle resolves to its DID, whichever server hosts it (public, no auth)."""
    net = _net(req)
    handle = _normalize(req.arg("handle") or "")
    if not handle or handle.startswith("unknown."):
        raise Abort(net.error(400, "Unable to resolve handle", "HandleNotFound"))
    did = net.did(handle)
    with net.state.lock:
        net.state.dids[did] = handle
    return json_response({"did": did})


@router.route("GET", "/plc/(?P<did>did:plc:[a-z2-7]+)")
def plc_document(req: Request, did: str) -> Response:
    """The PLC directory's DID document, naming the account's PDS."""
    net = _net(req)
    handle = net.state.dids.get(did)
    if handle is None:
        raise Abort(json_response({"message": f"DID not registered: {did}"}, 404))
    prefix = OTHER_PDS_PREFIX if handle.endswith(OTHER_PDS_SUFFIX) else "bluesky"
    host = req.header("host", "127.0.0.1")
    return json_response(
        {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1",
            ],
            "id": did,
            "alsoKnownAs": [f"at://{handle}"],
            "verificationMethod": [],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": f"http://{host}/{prefix}",
                }
            ],
        }
    )


@router.route("POST", "/xrpc/com.atproto.server.refreshSession")
def refresh_session(req: Request) -> Response:
    net = _net(req)
    try:
        old = net.state.check_token("bluesky", req.bearer, kind="refresh")
    except TokenError as exc:
        raise Abort(net.auth_error(exc.reason)) from exc
    old.revoked = True  # refresh tokens rotate
    out = net.session(old.handle)
    out.pop("email")
    out.pop("emailConfirmed")
    return json_response(out)


@router.route("GET", "/xrpc/com.atproto.server.getSession")
def get_session(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    return json_response({"handle": tok.handle, "did": net.did(tok.handle), "active": True})


def _profile(net: BlueskyNetwork, handle: str, detailed: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "did": net.did(handle),
        "handle": handle,
        "displayName": handle.split(".")[0].title(),
        "labels": [],
        "createdAt": "2023-04-01T00:00:00.000Z",
    }
    if detailed:
        out.update(
            followersCount=followers("bluesky", handle),
            followsCount=followers("bluesky", handle + ":follows") // 5,
            postsCount=sum(1 for p in net.state.posts["bluesky"].values() if p.author == handle),
            description="",
            indexedAt="2023-04-01T00:00:00.000Z",
        )
    return out


@router.route("GET", "/xrpc/app.bsky.actor.getProfile")
def get_profile(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    net.meter(req, tok.handle)
    actor = req.arg("actor") or ""
    handle = next((h for h in {tok.handle, _normalize(actor)} if actor in (h, net.did(h))), None)
    if handle is None:
        handle = _normalize(actor) if not actor.startswith("did:") else None
    if handle is None:
        raise Abort(net.error(400, "Profile not found", "InvalidRequest"))
    return json_response(_profile(net, handle))


@router.route("POST", "/xrpc/com.atproto.repo.createRecord")
def create_record(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    net.meter(req, tok.handle, "write")
    body = net.body_json(req)
    if body.get("repo") not in (tok.handle, net.did(tok.handle)):
        raise Abort(
            net.error(400, "Input/repo must be the authenticated account", "InvalidRequest")
        )
    if body.get("collection") != "app.bsky.feed.post":
        raise Abort(
            net.error(400, "Only app.bsky.feed.post records are simulated", "InvalidRequest")
        )
    record = body.get("record") or {}
    text = record.get("text")
    # Lexicon app.bsky.feed.post: text maxGraphemes 300 and maxLength 3000
    # (UTF-8 bytes); docs.bsky.app/docs/advanced-guides/post-richtext
    if isinstance(text, str) and not lengths.fits(text, lengths.BLUESKY):
        raise Abort(
            net.error(
                400,
                "Invalid app.bsky.feed.post record: Record/text must not be longer than "
                f"{lengths.LIMITS[lengths.BLUESKY]} graphemes or "
                f"{lengths.MAX_BYTES[lengths.BLUESKY]} bytes",
                "InvalidRequest",
            )
        )
    if not isinstance(text, str) or not record.get("createdAt"):
        raise Abort(
            net.error(
                400,
                "Invalid app.bsky.feed.post record: text (300 graphemes max) and createdAt are required",
                "InvalidRequest",
            )
        )
    embed = record.get("embed") or {}
    link = (
        (embed.get("external") or {}).get("uri")
        if embed.get("$type") == "app.bsky.embed.external"
        else None
    )
    rkey = body.get("rkey") or _enc(
        int(net.state.clock.now() * 1_000_000) << 10 | net.state.next_id() % 1024, _SORT32, 13
    )
    uri = f"at://{net.did(tok.handle)}/app.bsky.feed.post/{rkey}"
    cid = net.cid(uri)
    net.state.add_post(
        Post(
            "bluesky",
            uri,
            tok.handle,
            text,
            link,
            net.state.clock.now(),
            extra={"record": record, "cid": cid},
        )
    )
    return json_response(
        {
            "uri": uri,
            "cid": cid,
            "commit": {"cid": net.cid(uri, "commit"), "rev": rkey},
            "validationStatus": "valid",
        }
    )


def _post_view(net: BlueskyNetwork, post: Post) -> dict[str, Any]:
    e = engagement("bluesky", post.id, post.author, net.state.clock.now() - post.created_at)
    view: dict[str, Any] = {
        "uri": post.id,
        "cid": post.extra.get("cid") or net.cid(post.id),
        "author": _profile(net, post.author, detailed=False),
        "record": post.extra.get("record")
        or {"$type": "app.bsky.feed.post", "text": post.text, "createdAt": iso(post.created_at)},
        "replyCount": e.comments,
        "repostCount": e.reposts * 3 // 4,
        "likeCount": e.reactions,
        "quoteCount": e.reposts - e.reposts * 3 // 4,
        "indexedAt": iso(post.created_at),
        "labels": [],
    }
    external = (view["record"].get("embed") or {}).get("external")
    if external:
        view["embed"] = {
            "$type": "app.bsky.embed.external#view",
            "external": {
                "uri": external.get("uri"),
                "title": external.get("title", ""),
                "description": external.get("description", ""),
            },
        }
    return view


@router.route("GET", "/xrpc/app.bsky.feed.getPosts")
def get_posts(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    uris = req.query.get("uris", [])
    if not uris or len(uris) > MAX_URIS:
        raise Abort(
            net.error(
                400, f"Error: uris must not have more than {MAX_URIS} elements", "InvalidRequest"
            )
        )
    net.meter(req, tok.handle)
    # Unknown or deleted posts are silently left out, as the AppView does.
    found = [net.state.get_post("bluesky", u) for u in uris]
    return json_response({"posts": [_post_view(net, p) for p in found if p is not None]})


@router.route("GET", "/xrpc/app.bsky.feed.getAuthorFeed")
def get_author_feed(req: Request) -> Response:
    """An actor's posts, newest first, as feedViewPost items."""
    net = _net(req)
    tok = net.authenticate(req)
    net.meter(req, tok.handle)
    actor = req.arg("actor") or ""
    limit = int(req.arg("limit") or 50)
    if not actor or not 1 <= limit <= 100:
        raise Abort(net.error(400, "actor is required and limit is 1 to 100", "InvalidRequest"))
    with net.state.lock:
        own = [
            p for p in net.state.posts["bluesky"].values() if actor in (p.author, net.did(p.author))
        ]
    own.sort(key=lambda p: p.created_at, reverse=True)
    return json_response({"feed": [{"post": _post_view(net, p)} for p in own[:limit]]})


@router.route("POST", "/xrpc/com.atproto.server.deleteSession")
def delete_session(req: Request) -> Response:
    net = _net(req)
    try:
        tok = net.state.check_token("bluesky", req.bearer, kind="refresh")
    except TokenError as exc:
        raise Abort(net.auth_error(exc.reason)) from exc
    # Access JWTs are stateless and die on their own; the session ends with its refresh token.
    net.state.revoke(token=tok.value)
    return Response(200, b"", {})


@router.route("GET", "/xrpc/app.bsky.feed.getPostThread")
def get_post_thread(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    net.meter(req, tok.handle)
    post = net.state.get_post("bluesky", req.arg("uri") or "")
    if post is None:
        raise Abort(net.error(400, f"Post not found: {req.arg('uri')}", "NotFound"))
    m = _POST_URI.match(post.id)
    assert m is not None
    replies = []
    for c in comments("bluesky", post.id, post.author, post.created_at, net.state.clock.now()):
        handle = f"{c.author}.bsky.social"
        uri = f"at://{net.did(handle)}/app.bsky.feed.post/{_enc(int(c.id), _SORT32, 13)}"
        record = {
            "$type": "app.bsky.feed.post",
            "text": c.text,
            "createdAt": iso(c.created_at),
            "reply": {
                "root": {"uri": post.id, "cid": net.cid(post.id)},
                "parent": {"uri": post.id, "cid": net.cid(post.id)},
            },
        }
        reply = Post("bluesky", uri, handle, c.text, None, c.created_at, extra={"record": record})
        view = _post_view(net, reply)
        view.update(replyCount=0, repostCount=0, likeCount=0, quoteCount=0)
        replies.append({"$type": "app.bsky.feed.defs#threadViewPost", "post": view, "replies": []})
    return json_response(
        {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": _post_view(net, post),
                "replies": replies,
            }
        }
    )
