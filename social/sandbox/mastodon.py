"""A Mastodon instance: per-instance app registration, OAuth (optional PKCE),
verify_credentials, statuses with Idempotency-Key, context (replies) and
X-RateLimit-* headers whose reset is an ISO 8601 timestamp."""

from __future__ import annotations

import html
import re
import secrets
from typing import Any

from advocacy import lengths

from .base import Abort, Network
from .clock import iso
from .engagement import comments, engagement, followers, stable_int
from .http import Request, Response, Router, json_response
from .oauth import authorize, client_credentials
from .state import Post, Token

router = Router()
_URL = re.compile(r"https?://[^\s<]+")
VERSION = "4.3.2"


class MastodonNetwork(Network):
    key = "mastodon"
    label = "Mastodon"
    router = router

    def error(self, status: int, message: str, code: str | None = None) -> Response:
        if code in ("invalid_request", "invalid_grant", "invalid_client", "unsupported_grant_type"):
            return json_response({"error": code, "error_description": message}, status)
        return json_response({"error": message}, status)

    def auth_error(self, reason: str) -> Response:
        return self.error(
            401,
            "The access token is invalid"
            if reason != "missing"
            else "This method requires an authenticated user",
        )

    def rate_limited(self, limit: int, reset: float) -> Response:
        resp = self.error(429, "Too many requests")
        resp.headers.update(self.rate_headers(limit, 0, reset))
        return resp

    def rate_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": iso(reset),
        }

    def account_id(self, handle: str) -> str:
        return str(100_000_000_000_000_000 + stable_int("masto", handle.lower()) % 10**17)

    def scoped(self, req: Request, family: str) -> Token:
        """Mastodon scopes are 'read'/'write' or finer 'write:statuses'."""
        tok = self.authenticate(req)
        top = family.split(":")[0]
        if top not in tok.scopes and family not in tok.scopes:
            raise Abort(self.error(403, "This action is outside the authorized scopes"))
        self.meter(req, tok.handle)
        return tok


def _net(req: Request) -> MastodonNetwork:
    return req.network  # type: ignore[no-any-return]


def _base(req: Request) -> str:
    return f"http://{req.header('host', '127.0.0.1')}/mastodon"


def _account(
    net: MastodonNetwork, req: Request, handle: str, *, with_source: bool = False
) -> dict[str, Any]:
    own = [p for p in net.state.posts["mastodon"].values() if p.author == handle]
    acct: dict[str, Any] = {
        "id": net.account_id(handle),
        "username": handle,
        "acct": handle,
        "display_name": handle.replace(".", " ").title(),
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2022-11-01T00:00:00.000Z",
        "note": "",
        "url": f"{_base(req)}/@{handle}",
        "uri": f"{_base(req)}/users/{handle}",
        "avatar": f"{_base(req)}/avatars/original/missing.png",
        "avatar_static": f"{_base(req)}/avatars/original/missing.png",
        "header": f"{_base(req)}/headers/original/missing.png",
        "header_static": f"{_base(req)}/headers/original/missing.png",
        "followers_count": followers("mastodon", handle),
        "following_count": followers("mastodon", handle + ":following") // 4,
        "statuses_count": len(own),
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }
    if with_source:
        acct["source"] = {
            "privacy": "public",
            "sensitive": False,
            "language": "en",
            "note": "",
            "fields": [],
        }
    return acct


def _content(text: str) -> str:
    linked = _URL.sub(
        lambda m: f'<a href="{m[0]}" rel="nofollow noopener" target="_blank">{m[0]}</a>',
        html.escape(text, quote=False),
    )
    return "<p>" + linked.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"


def _status(net: MastodonNetwork, req: Request, post: Post) -> dict[str, Any]:
    e = engagement("mastodon", post.id, post.author, net.state.clock.now() - post.created_at)
    url = f"{_base(req)}/@{post.author}/{post.id}"
    return {
        "id": post.id,
        "created_at": iso(post.created_at),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": post.extra.get("visibility", "public"),
        "language": post.extra.get("language", "en"),
        "uri": f"{_base(req)}/users/{post.author}/statuses/{post.id}",
        "url": url,
        "replies_count": e.comments,
        "reblogs_count": e.reposts,
        "favourites_count": e.reactions,
        "edited_at": None,
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "pinned": False,
        "content": _content(post.text),
        "filtered": [],
        "reblog": None,
        "application": {"name": post.extra.get("app", "Chorus"), "website": None},
        "account": _account(net, req, post.author),
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": {"url": post.link, "title": post.link, "description": "", "type": "link"}
        if post.link
        else None,
        "poll": None,
    }


@router.route("POST", "/api/v1/apps")
def create_app(req: Request) -> Response:
    net = _net(req)
    form = req.form()
    name = form.get("client_name")
    raw = form.get("redirect_uris", "")
    if req.body and "json" in (req.header("content-type") or ""):
        data = net.body_json(req)
        raw = data.get("redirect_uris", raw)
    uris = raw if isinstance(raw, list) else [u for u in str(raw).split() if u]
    if not name or not uris:
        raise Abort(
            net.error(
                422,
                "Validation failed: Application name can't be blank, Redirect URI can't be blank",
            )
        )
    scopes = (form.get("scopes") or "read").split()
    app: dict[str, Any] = {
        "id": str(net.state.next_id()),
        "name": name,
        "website": form.get("website") or None,
        "scopes": scopes,
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "client_id": secrets.token_urlsafe(32),
        "client_secret": secrets.token_urlsafe(32),
        "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=",
    }
    with net.state.lock:
        net.state.apps[app["client_id"]] = app
    return json_response(app)


def _check_client(net: MastodonNetwork) -> Any:
    def check(client_id: str, redirect_uri: str) -> str | None:
        app = net.state.apps.get(client_id)
        if app is None:
            return "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
        if redirect_uri not in app["redirect_uris"]:
            return "The redirect uri included is not valid."
        return None

    return check


@router.route("GET POST", "/oauth/authorize")
def oauth_authorize(req: Request) -> Response:
    net = _net(req)
    return authorize(net, req, action="authorize", check_client=_check_client(net))


@router.route("POST", "/oauth/token")
def oauth_token(req: Request) -> Response:
    net = _net(req)
    form = req.form()
    client_id, secret = client_credentials(req, form)
    app = net.state.apps.get(client_id)
    if app is None or not secrets.compare_digest(app["client_secret"], secret or ""):
        raise Abort(net.error(401, "Client authentication failed", "invalid_client"))
    grant = form.get("grant_type")
    if grant == "authorization_code":
        try:
            ac = net.state.consume_code(
                "mastodon",
                form.get("code", ""),
                client_id,
                form.get("redirect_uri", ""),
                form.get("code_verifier"),
            )
        except ValueError as exc:
            raise Abort(net.error(400, str(exc), "invalid_grant")) from exc
        handle, scopes = ac.handle, ac.scopes or ("read",)
    elif grant == "client_credentials":
        handle, scopes = "", tuple((form.get("scope") or "read").split())
    else:
        raise Abort(net.error(400, "unsupported grant_type", "unsupported_grant_type"))
    tok = net.state.issue_token(
        "mastodon", "access", handle, client_id, scopes, net.state.lifetimes["mastodon"]["access"]
    )
    return json_response(
        {
            "access_token": tok.value,
            "token_type": "Bearer",
            "scope": " ".join(scopes),
            "created_at": int(tok.issued_at),
        }
    )


@router.route("POST", "/oauth/revoke")
def oauth_revoke(req: Request) -> Response:
    _net(req).state.revoke(token=req.form().get("token"))
    return json_response({})


@router.route("GET", "/api/v[12]/instance")
def instance(req: Request) -> Response:
    net = _net(req)
    host = req.header("host", "127.0.0.1")
    return json_response(
        {
            "uri": host,
            "domain": host,
            "title": "Mastodon sandbox",
            "version": VERSION,
            "description": "Local test instance",
            "languages": ["en"],
            "rules": [],
            "api_versions": {"mastodon": 2},
            "configuration": {
                "statuses": {
                    "max_characters": net.state.policy.mastodon_max_characters,
                    "characters_reserved_per_url": lengths.LINK_LENGTH[lengths.MASTODON],
                }
            },
        }
    )


@router.route("GET", "/api/v1/accounts/verify_credentials")
def verify_credentials(req: Request) -> Response:
    net = _net(req)
    tok = net.scoped(req, "read:accounts")
    if not tok.handle:
        raise Abort(net.error(422, "This method requires an authenticated user"))
    return json_response(_account(net, req, tok.handle, with_source=True))


@router.route("POST", "/api/v1/statuses")
def post_status(req: Request) -> Response:
    net = _net(req)
    tok = net.scoped(req, "write:statuses")
    form = req.form()
    text = form.get("status", "")
    if not text.strip():
        raise Abort(net.error(422, "Validation failed: Text can't be blank"))
    # StatusLengthValidator: graphemes, every URL as 23, up to the instance's
    # configuration.statuses.max_characters (docs.joinmastodon.org/entities/Instance/)
    limit = net.state.policy.mastodon_max_characters
    if not lengths.fits(text, lengths.MASTODON, limit=limit):
        raise Abort(net.error(422, f"Validation failed: Text character limit of {limit} exceeded"))
    key = req.header("idempotency-key")
    with net.state.lock:
        if key and (tok.handle, key) in net.state.idempotency:
            # The same key within the hour returns the status made the first time.
            post = net.state.get_post("mastodon", net.state.idempotency[(tok.handle, key)])
            assert post is not None
            return json_response(_status(net, req, post))
        post_id = str(110_000_000_000_000_000 + net.state.next_id())
        links = _URL.findall(text)
        post = net.state.add_post(
            Post(
                "mastodon",
                post_id,
                tok.handle,
                text,
                links[0] if links else None,
                net.state.clock.now(),
                extra={
                    "visibility": form.get("visibility") or "public",
                    "language": form.get("language") or "en",
                },
            )
        )
        if key:
            net.state.idempotency[(tok.handle, key)] = post_id
    return json_response(_status(net, req, post))


@router.route("GET", "/api/v1/accounts/(?P<account_id>\\d+)/statuses")
def account_statuses(req: Request, account_id: str) -> Response:
    """An account's statuses, newest first (limit up to 40)."""
    net = _net(req)
    _optional_auth(net, req)
    limit = min(int(req.arg("limit") or 20), 40)
    with net.state.lock:
        own = [
            p
            for p in net.state.posts["mastodon"].values()
            if net.account_id(p.author) == account_id
        ]
    own.sort(key=lambda p: p.created_at, reverse=True)
    return json_response([_status(net, req, p) for p in own[:limit]])


def _find(net: MastodonNetwork, status_id: str) -> Post:
    post = net.state.get_post("mastodon", status_id)
    if post is None:
        raise Abort(net.error(404, "Record not found"))
    return post


def _optional_auth(net: MastodonNetwork, req: Request) -> None:
    """Public statuses are readable without a token; a bad token still fails."""
    if req.bearer:
        tok = net.authenticate(req)
        net.meter(req, tok.handle)
    else:
        net.meter(req, "anonymous")


@router.route("GET", "/api/v1/statuses/(?P<status_id>\\d+)")
def get_status(req: Request, status_id: str) -> Response:
    net = _net(req)
    _optional_auth(net, req)
    return json_response(_status(net, req, _find(net, status_id)))


@router.route("GET", "/api/v1/statuses/(?P<status_id>\\d+)/context")
def status_context(req: Request, status_id: str) -> Response:
    net = _net(req)
    _optional_auth(net, req)
    post = _find(net, status_id)
    replies = []
    for c in comments("mastodon", post.id, post.author, post.created_at, net.state.clock.now()):
        reply = Post("mastodon", c.id, c.author, c.text, None, c.created_at)
        body = _status(net, req, reply)
        body.update(
            in_reply_to_id=post.id,
            in_reply_to_account_id=net.account_id(post.author),
            replies_count=0,
            reblogs_count=0,
            favourites_count=0,
        )
        replies.append(body)
    return json_response({"ancestors": [], "descendants": replies})
