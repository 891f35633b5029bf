"""Facebook Pages via the Graph API: OAuth dialog, code exchange, long-lived
token exchange, /me/accounts page tokens, page feed posts, field expansion
(summary counts, comments, insights) with the ?ids= batch of up to 50, and
the X-App-Usage / X-Business-Use-Case-Usage percentage headers."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from .base import Abort, Network
from .clock import fb_time
from .engagement import comments, engagement, followers, stable_int
from .http import Request, Response, Router, json_response
from .oauth import authorize
from .state import Post, Token, TokenError

router = Router()
V = r"(?:/v\d+\.\d+)?"
MAX_IDS = 50
_SCOPE_FOR = {
    "accounts": "pages_show_list",
    "publish": "pages_manage_posts",
    "read": "pages_read_engagement",
    "insights": "read_insights",
}


class FacebookNetwork(Network):
    key = "facebook"
    label = "Facebook"
    router = router

    def error(
        self, status: int, message: str, code: str | int | None = None, subcode: int | None = None
    ) -> Response:
        num = (
            code
            if isinstance(code, int)
            else {400: 100, 403: 10, 404: 803}.get(status, 2 if status >= 500 else 1)
        )
        err: dict[str, Any] = {
            "message": message,
            "type": "OAuthException" if num in (100, 190, 10, 200, 803) else "GraphMethodException",
            "code": num,
            "fbtrace_id": f"Sbx{stable_int(message) % 10**10}",
        }
        if status >= 500:
            err.update(type="FacebookApiException", is_transient=True)
        if subcode:
            err["error_subcode"] = subcode
        return json_response({"error": err}, status)

    def auth_error(self, reason: str) -> Response:
        if reason == "expired":
            return self.error(400, "Error validating access token: Session has expired.", 190, 463)
        if reason == "revoked":
            return self.error(
                400,
                "Error validating access token: The user has not authorized application.",
                190,
                458,
            )
        return self.error(400, "Invalid OAuth access token - Cannot parse access token", 190)

    def rate_limited(self, limit: int, reset: float) -> Response:
        resp = self.error(400, "(#32) Page request limit reached", 32)
        resp.headers.update(self._usage_headers(100, reset, None))
        return resp

    def _usage_headers(self, pct: int, reset: float, page_id: str | None) -> dict[str, str]:
        usage = {"call_count": pct, "total_cputime": pct // 2, "total_time": pct // 2}
        headers = {"X-App-Usage": json.dumps(usage)}
        if page_id:
            regain = 0 if pct < 100 else max(1, int((reset - self.state.clock.now()) // 60) + 1)
            buc = {page_id: [dict(usage, type="pages", estimated_time_to_regain_access=regain)]}
            headers["X-Business-Use-Case-Usage"] = json.dumps(buc)
        return headers

    def authenticate(self, req: Request, scope: str | None = None) -> Token:
        value = req.bearer or req.arg("access_token") or req.form().get("access_token")
        try:
            tok = self.state.check_token(self.key, value, kind="")
        except TokenError as exc:
            raise Abort(self.auth_error(exc.reason)) from exc
        if scope and scope not in tok.scopes:
            raise Abort(
                self.error(403, f"(#10) This endpoint requires the '{scope}' permission", 10)
            )
        allowed, limit, remaining, reset = self.state.hit(self.key, "graph", tok.handle)
        if not allowed:
            resp = self.rate_limited(limit, reset)
            resp.headers.update(self._usage_headers(100, reset, tok.extra.get("page_id")))
            raise Abort(resp)
        pct = int((limit - remaining) * 100 / limit)
        req.response_headers.update(self._usage_headers(pct, reset, tok.extra.get("page_id")))
        return tok

    def page_id(self, handle: str) -> str:
        return str(100_000_000_000_000 + stable_int("fb-page", handle.lower()) % 10**15)


def _net(req: Request) -> FacebookNetwork:
    return req.network  # type: ignore[no-any-return]


@router.route("GET POST", f"{V}/dialog/oauth")
def dialog(req: Request) -> Response:
    return authorize(
        _net(req),
        req,
        action="oauth",
        deny_params={
            "error": "access_denied",
            "error_code": "200",
            "error_description": "Permissions error",
            "error_reason": "user_denied",
        },
    )


@router.route("GET POST", f"{V}/oauth/access_token")
def access_token(req: Request) -> Response:
    net = _net(req)
    form = req.form()
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if req.basic:
        client_id, secret = req.basic
    if not client_id or not secret:
        raise Abort(net.error(400, "Missing client_id or client_secret", 101))
    life = net.state.lifetimes["facebook"]
    if form.get("grant_type") == "fb_exchange_token":
        try:
            short = net.state.check_token("facebook", form.get("fb_exchange_token"), kind="access")
        except TokenError as exc:
            raise Abort(net.auth_error(exc.reason)) from exc
        tok = net.state.issue_token(
            "facebook",
            "access",
            short.handle,
            client_id,
            short.scopes,
            life["long_lived"],
            extra={"long_lived": True},
        )
        return json_response(
            {"access_token": tok.value, "token_type": "bearer", "expires_in": life["long_lived"]}
        )
    try:
        ac = net.state.consume_code(
            "facebook",
            form.get("code", ""),
            client_id,
            form.get("redirect_uri", ""),
            form.get("code_verifier"),
        )
    except ValueError as exc:
        raise Abort(net.error(400, f"Invalid verification code: {exc}", 100, 36009)) from exc
    tok = net.state.issue_token(
        "facebook", "access", ac.handle, client_id, ac.scopes, life["access"]
    )
    return json_response(
        {"access_token": tok.value, "token_type": "bearer", "expires_in": life["access"]}
    )


@router.route("GET", f"{V}/me")
def me(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    if tok.kind == "page":
        return json_response(_page_json(net, tok.handle, _fields(req)))
    return json_response(
        {"id": str(stable_int("fb-user", tok.handle) % 10**16), "name": tok.handle.title()}
    )


@router.route("GET", f"{V}/me/accounts")
def accounts(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["accounts"])
    if tok.kind != "access":
        raise Abort(
            net.error(
                400, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)", 100
            )
        )
    page_id = net.page_id(tok.handle)
    # Page tokens from a long-lived user token never expire; from a short one
    # they die with it.
    lifetime = (
        None if tok.extra.get("long_lived") else int((tok.expires_at or 0) - net.state.clock.now())
    )
    page_tok = net.state.issue_token(
        "facebook",
        "page",
        tok.handle,
        tok.client_id,
        tok.scopes,
        lifetime,
        extra={"page_id": page_id},
    )
    page = {
        "access_token": page_tok.value,
        "category": "Company",
        "category_list": [{"id": "2200", "name": "Company"}],
        "name": f"{tok.handle.title()} Page",
        "id": page_id,
        "tasks": ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"],
    }
    return json_response(
        {"data": [page], "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}}
    )


def _page_json(
    net: FacebookNetwork, handle: str, fields: list[tuple[str, dict[str, str], str]]
) -> dict[str, Any]:
    page_id = net.page_id(handle)
    full = {
        "id": page_id,
        "name": f"{handle.title()} Page",
        "followers_count": followers("facebook", handle),
        "fan_count": followers("facebook", handle) * 9 // 10,
        "link": f"https://www.facebook.com/{page_id}",
        "username": handle.replace(".", ""),
    }
    names = [f[0] for f in fields] or ["id", "name"]
    return {k: full[k] for k in names if k in full}


# -- Graph field expansion: "a,b.summary(true).limit(0),c{d,e},insights.metric(x,y)"


def _split_top(spec: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in spec:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return [s.strip() for s in out if s.strip()]


_MOD = re.compile(r"\.(\w+)\(([^)]*)\)")


def _parse_field(spec: str) -> tuple[str, dict[str, str], str]:
    sub = ""
    if "{" in spec and spec.endswith("}"):
        spec, sub = spec[: spec.index("{")], spec[spec.index("{") + 1 : -1]
    name = spec.split(".", 1)[0]
    return name, dict(_MOD.findall(spec)), sub


def _fields(req: Request) -> list[tuple[str, dict[str, str], str]]:
    return [_parse_field(s) for s in _split_top(req.arg("fields") or "")]


def _post_for(net: FacebookNetwork, post_id: str, tok: Token) -> Post:
    post = net.state.get_post("facebook", post_id)
    if post is None:
        raise Abort(
            net.error(404, f"(#803) Some of the aliases you requested do not exist: {post_id}", 803)
        )
    if post.author != tok.handle:
        raise Abort(net.error(403, "(#10) Permission denied", 10))
    return post


def _insights(net: FacebookNetwork, post: Post, metrics: list[str], tok: Token) -> dict[str, Any]:
    if _SCOPE_FOR["insights"] not in tok.scopes:
        raise Abort(net.error(403, "(#10) Requires read_insights permission", 10))
    # Post insights are computed in daily batches: the numbers are those of
    # the last whole day of the post's life.
    age = net.state.clock.now() - post.created_at
    e = engagement("facebook", post.id, post.author, (age // 86400) * 86400)
    values = {
        "post_media_view": e.impressions,
        "post_total_media_view_unique": e.reach,
        "post_clicks": e.clicks,
        "post_reactions_by_type_total": {
            "like": e.reactions * 3 // 4,
            "love": e.reactions - e.reactions * 3 // 4,
        },
    }
    data = []
    # A removed metric (FACEBOOK_REMOVED_METRICS, gone since 2025-11-15) is an
    # invalid metric like any unknown one: (#100) for the whole request.
    for m in metrics:
        if m not in values:
            raise Abort(
                net.error(400, f"(#100) The value must be a valid insights metric: {m}", 100)
            )
        data.append(
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": values[m]}],
                "title": m.replace("_", " ").title(),
                "id": f"{post.id}/insights/{m}/lifetime",
            }
        )
    return {"data": data, "paging": {}}


def _comments(net: FacebookNetwork, post: Post, mods: dict[str, str], sub: str) -> dict[str, Any]:
    items = comments("facebook", post.id, post.author, post.created_at, net.state.clock.now())
    limit = int(mods.get("limit", "25"))
    wanted = [f.strip() for f in sub.split(",") if f.strip()] or ["created_time", "message", "id"]
    data = []
    for c in items[:limit]:
        full = {
            "id": f"{post.id.split('_')[1]}_{c.id}",
            "message": c.text,
            "created_time": fb_time(c.created_at),
            "from": {"name": c.author, "id": str(stable_int(c.author) % 10**15)},
        }
        data.append({k: full[k] for k in [*wanted, "id"] if k in full})
    out: dict[str, Any] = {"data": data}
    if "summary" in mods:
        out["summary"] = {"order": "ranked", "total_count": len(items), "can_comment": True}
    return out


def _post_json(
    net: FacebookNetwork, post: Post, fields: list[tuple[str, dict[str, str], str]], tok: Token
) -> dict[str, Any]:
    e = engagement("facebook", post.id, post.author, net.state.clock.now() - post.created_at)
    out: dict[str, Any] = {}
    for name, mods, sub in fields or [
        ("created_time", {}, ""),
        ("message", {}, ""),
        ("id", {}, ""),
    ]:
        if name == "id":
            out["id"] = post.id
        elif name == "message":
            out["message"] = post.text
        elif name == "created_time":
            out["created_time"] = fb_time(post.created_at)
        elif name == "permalink_url":
            out["permalink_url"] = f"https://www.facebook.com/{post.id.replace('_', '/posts/')}"
        elif name == "link" and post.link:
            out["link"] = post.link
        elif name == "attachments":
            if post.link:
                full = {
                    "type": "share",
                    "unshimmed_url": post.link,
                    "url": f"https://l.facebook.com/l.php?u={quote(post.link, safe='')}",
                    "title": post.link,
                }
                wanted = [f.strip() for f in sub.split(",") if f.strip()] or list(full)
                out["attachments"] = {"data": [{k: full[k] for k in wanted if k in full}]}
        elif name == "shares":
            if e.reposts:
                out["shares"] = {"count": e.reposts}  # Graph omits the field at zero
        elif name in ("reactions", "likes"):
            out[name] = {
                "data": [],
                "summary": {"total_count": e.reactions, "viewer_reaction": "NONE"},
            }
        elif name == "comments":
            out["comments"] = _comments(net, post, mods, sub)
        elif name == "insights":
            metrics = [m.strip() for m in mods.get("metric", "").split(",") if m.strip()]
            out["insights"] = _insights(net, post, metrics, tok)
        elif name not in ("link",):
            raise Abort(
                net.error(
                    400,
                    f"(#100) Tried accessing nonexisting field ({name}) on node type (Post)",
                    100,
                )
            )
    out.setdefault("id", post.id)
    return out


@router.route("GET", f"{V}/?")
def batch_ids(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["read"])
    ids = [i for i in (req.arg("ids") or "").split(",") if i]
    if not ids:
        raise Abort(net.error(400, "(#100) The parameter ids is required", 100))
    if len(ids) > MAX_IDS:
        raise Abort(
            net.error(400, f"(#100) Too many IDs. Maximum: {MAX_IDS}. Actual: {len(ids)}", 100)
        )
    fields = _fields(req)
    return json_response(
        {pid: _post_json(net, _post_for(net, pid, tok), fields, tok) for pid in ids}
    )


@router.route("POST", f"{V}/(?P<page_id>\\d+)/feed")
def publish(req: Request, page_id: str) -> Response:
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["publish"])
    if tok.kind != "page" or tok.extra.get("page_id") != page_id:
        raise Abort(
            net.error(403, "(#200) Publishing to a Page requires that Page's access token", 200)
        )
    form = req.form()
    message, link = form.get("message", ""), form.get("link") or None
    if not message and not link:
        raise Abort(net.error(400, "(#100) Missing message or attachment", 100))
    post_id = f"{page_id}_{10**15 + net.state.next_id()}"
    net.state.add_post(Post("facebook", post_id, tok.handle, message, link, net.state.clock.now()))
    return json_response({"id": post_id})


@router.route("GET", f"{V}/(?P<page_id>\\d+)/(?:posts|feed)")
def page_posts(req: Request, page_id: str) -> Response:
    """The Page's own posts, newest first (limit up to 100)."""
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["read"])
    if page_id != net.page_id(tok.handle):
        raise Abort(net.error(403, "(#10) Permission denied", 10))
    limit = min(int(req.arg("limit") or 25), 100)
    with net.state.lock:
        own = [p for p in net.state.posts["facebook"].values() if p.author == tok.handle]
    own.sort(key=lambda p: p.created_at, reverse=True)
    fields = _fields(req)
    return json_response(
        {
            "data": [_post_json(net, p, fields, tok) for p in own[:limit]],
            "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}},
        }
    )


@router.route("GET", f"{V}/(?P<node>\\d+)")
def page_node(req: Request, node: str) -> Response:
    net = _net(req)
    tok = net.authenticate(req)
    if node == net.page_id(tok.handle):
        return json_response(_page_json(net, tok.handle, _fields(req)))
    raise Abort(
        net.error(400, f"Unsupported get request. Object with ID '{node}' does not exist", 100, 33)
    )


@router.route("GET", f"{V}/(?P<post_id>\\d+_\\d+)")
def post_node(req: Request, post_id: str) -> Response:
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["read"])
    return json_response(_post_json(net, _post_for(net, post_id, tok), _fields(req), tok))


@router.route("GET", f"{V}/(?P<post_id>\\d+_\\d+)/insights(?:/(?P<metric>[a-z_,]+))?")
def post_insights(req: Request, post_id: str, metric: str | None = None) -> Response:
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["read"])
    metrics = (metric or req.arg("metric") or "post_media_view").split(",")
    return json_response(_insights(net, _post_for(net, post_id, tok), metrics, tok))


@router.route("GET", f"{V}/(?P<post_id>\\d+_\\d+)/comments")
def post_comments(req: Request, post_id: str) -> Response:
    net = _net(req)
    tok = net.authenticate(req, _SCOPE_FOR["read"])
    mods = {"limit": req.arg("limit") or "25"}
    if req.arg("summary"):
        mods["summary"] = "true"
    return json_response(
        _comments(net, _post_for(net, post_id, tok), mods, req.arg("fields") or "")
    )
