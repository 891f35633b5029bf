"""X (Twitter) API v2: OAuth 2 with mandatory PKCE, 2 h tokens, refresh only
with offline.access (rotating), users/me, create and look up posts with
public and non-public metrics, x-rate-limit-* headers per endpoint."""

from __future__ import annotations

import re
from typing import Any

from advocacy import lengths

from .base import Abort, Network
from .engagement import engagement, followers, stable_int
from .http import Request, Response, Router, json_response
from .oauth import authorize, client_credentials
from .rules import X_FORBIDDEN_TYPE
from .state import Post, Token, TokenError

router = Router()
_URL = re.compile(r"https?://\S+")
_THIRTY_DAYS = 30 * 86400


class XNetwork(Network):
    key = "x"
    label = "X"
    router = router

    def error(self, status: int, message: str, code: str | None = None) -> Response:
        if code in ("invalid_request", "invalid_grant", "invalid_client", "unsupported_grant_type"):
            return json_response({"error": code, "error_description": message}, status)
        title = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests"}
        return json_response(
            {
                "title": title.get(
                    status, "Invalid Request" if status < 500 else "Service Unavailable"
                ),
                "detail": message,
                "type": "about:blank",
                "status": status,
            },
            status,
        )

    def auth_error(self, reason: str) -> Response:
        return self.error(401, "Unauthorized")

    def rate_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(reset)),
        }

    def daily_cap(self, req: Request, tok: Token) -> None:
        """POST /2/tweets: the 24-hour caps per user and per app, with their
        headers (docs.x.com/x-api/fundamentals/rate-limits)."""
        policy = self.state.policy
        checks = (
            ("user", tok.handle, policy.x_user_daily_posts),
            ("app", tok.client_id, policy.x_app_daily_posts),
        )
        refused = None
        for kind, subject, limit in checks:
            allowed, remaining, reset = self.state.hit_daily(f"x-{kind}", subject, limit)
            req.response_headers.update(
                {
                    f"x-{kind}-limit-24hour-limit": str(limit),
                    f"x-{kind}-limit-24hour-remaining": str(remaining),
                    f"x-{kind}-limit-24hour-reset": str(int(reset)),
                }
            )
            if not allowed and refused is None:
                refused = kind
        if refused:
            resp = self.error(429, "Too Many Requests")
            resp.headers.update(req.response_headers)
            raise Abort(resp)

    def require_reads(self, tok: Token) -> None:
        """An app on a plan without read access cannot look posts up
        (docs.x.com/x-api/getting-started/pricing)."""
        if tok.client_id in self.state.policy.x_clients_without_reads:
            raise Abort(
                json_response(
                    {
                        "title": "Client Forbidden",
                        "detail": "When authenticating requests to the Twitter API v2 endpoints, "
                        "you must use keys and tokens from a Twitter developer App that is "
                        "attached to a Project with the right access level.",
                        "reason": "client-not-enrolled",
                        "registration_url": "https://developer.x.com/en/portal/product",
                        "type": X_FORBIDDEN_TYPE,
                    },
                    403,
                )
            )

    def user_id(self, handle: str) -> str:
        return str(10**17 + stable_int("x-user", handle.lower()) % 10**18)


def _net(req: Request) -> XNetwork:
    return req.network  # type: ignore[no-any-return]


@router.route("GET POST", "/i/oauth2/authorize")
def oauth_authorize(req: Request) -> Response:
    return authorize(_net(req), req, action="authorize", require_pkce=True)


@router.route("POST", "/2/oauth2/token")
def oauth_token(req: Request) -> Response:
    net = _net(req)
    form = req.form()
    client_id, _secret = client_credentials(req, form)
    if not client_id:
        raise Abort(net.error(401, "Missing client credentials", "invalid_client"))
    grant = form.get("grant_type")
    if grant == "authorization_code":
        try:
            ac = net.state.consume_code(
                "x",
                form.get("code", ""),
                client_id,
                form.get("redirect_uri", ""),
                form.get("code_verifier"),
            )
        except ValueError as exc:
            raise Abort(net.error(400, str(exc), "invalid_request")) from exc
        handle, scopes = ac.handle, ac.scopes
    elif grant == "refresh_token":
        try:
            old = net.state.check_token("x", form.get("refresh_token"), kind="refresh")
        except TokenError as exc:
            raise Abort(
                net.error(400, "Value passed for the token was invalid.", "invalid_request")
            ) from exc
        old.revoked = True  # X rotates refresh tokens: each works once
        handle, scopes = old.handle, old.scopes
    else:
        raise Abort(net.error(400, "unsupported grant_type", "unsupported_grant_type"))
    life = net.state.lifetimes["x"]
    access = net.state.issue_token("x", "access", handle, client_id, scopes, life["access"])
    body: dict[str, Any] = {
        "token_type": "bearer",
        "expires_in": life["access"],
        "access_token": access.value,
        "scope": " ".join(scopes),
    }
    if "offline.access" in scopes:
        body["refresh_token"] = net.state.issue_token(
            "x", "refresh", handle, client_id, scopes, life["refresh"]
        ).value
    return json_response(body)


@router.route("POST", "/2/oauth2/revoke")
def oauth_revoke(req: Request) -> Response:
    _net(req).state.revoke(token=req.form().get("token"))
    return json_response({"revoked": True})


@router.route("GET", "/2/users/me")
def users_me(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req, "users.read")
    net.meter(req, tok.handle, "users.me")
    fields = (req.arg("user.fields") or "").split(",")
    user: dict[str, Any] = {
        "id": net.user_id(tok.handle),
        "name": tok.handle.title(),
        "username": tok.handle,
    }
    if "public_metrics" in fields:
        user["public_metrics"] = {
            "followers_count": followers("x", tok.handle),
            "following_count": followers("x", tok.handle + ":following") // 3,
            "tweet_count": len(
                [p for p in net.state.posts["x"].values() if p.author == tok.handle]
            ),
            "listed_count": 2,
        }
    if "profile_image_url" in fields:
        user["profile_image_url"] = "https://pbs.twimg.invalid/profile_images/default.png"
    return json_response({"data": user})


def _weighted_length(text: str) -> int:
    """X's weighted length: CJK and emoji weigh 2, every URL 23 (twitter-text
    v3 config; docs.x.com/resources/fundamentals/counting-characters)."""
    return lengths.length(text, lengths.X)


@router.route("POST", "/2/tweets")
def create_tweet(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req, "tweet.write")
    net.meter(req, tok.handle, "tweets.create")
    body = net.body_json(req)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Abort(net.error(400, "The `text` field is required.", None))
    if _weighted_length(text) > lengths.LIMITS[lengths.X]:
        raise Abort(net.error(400, "Your Tweet text is too long.", None))
    net.daily_cap(req, tok)
    with net.state.lock:
        for post in net.state.posts["x"].values():
            if post.author == tok.handle and post.text == text:
                raise Abort(
                    net.error(403, "You are not allowed to create a Tweet with duplicate content.")
                )
        post_id = str(1_800_000_000_000_000_000 + net.state.next_id())
        links = _URL.findall(text)
        net.state.add_post(
            Post("x", post_id, tok.handle, text, links[0] if links else None, net.state.clock.now())
        )
    return json_response(
        {"data": {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}}, 201
    )


def _tweet_json(net: XNetwork, post: Post, fields: set[str], now: float) -> dict[str, Any]:
    e = engagement("x", post.id, post.author, now - post.created_at)
    data: dict[str, Any] = {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}
    if "created_at" in fields:
        from .clock import iso

        data["created_at"] = iso(post.created_at)
    if "author_id" in fields:
        data["author_id"] = net.user_id(post.author)
    if "public_metrics" in fields:
        retweets = e.reposts * 4 // 5
        data["public_metrics"] = {
            "retweet_count": retweets,
            "reply_count": e.comments,
            "like_count": e.reactions,
            "quote_count": e.reposts - retweets,
            "bookmark_count": e.reactions // 7,
            "impression_count": e.impressions,
        }
    if "non_public_metrics" in fields:
        data["non_public_metrics"] = {
            "impression_count": e.impressions,
            "url_link_clicks": e.clicks if post.link else 0,
            "user_profile_clicks": e.clicks // 4,
        }
    return data


@router.route("GET", "/2/tweets")
def lookup_tweets(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req, "tweet.read")
    net.require_reads(tok)
    ids = [i for i in (req.arg("ids") or "").split(",") if i]
    if not ids or len(ids) > 100:
        raise Abort(net.error(400, "The `ids` query parameter must hold 1 to 100 ids.", None))
    net.meter(req, tok.handle, "tweets.lookup")
    fields = set((req.arg("tweet.fields") or "").split(","))
    now = net.state.clock.now()
    data, errors = [], []
    for tid in ids:
        post = net.state.get_post("x", tid)
        if post is None:
            errors.append(
                {
                    "value": tid,
                    "detail": f"Could not find tweet with ids: [{tid}].",
                    "title": "Not Found Error",
                    "resource_type": "tweet",
                    "parameter": "ids",
                    "resource_id": tid,
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
            )
            continue
        private_ok = post.author == tok.handle and now - post.created_at < _THIRTY_DAYS
        if "non_public_metrics" in fields and not private_ok:
            errors.append(
                {
                    "value": tid,
                    "detail": f"Sorry, you are not authorized to access 'non_public_metrics' on the Tweet with ids: [{tid}].",
                    "title": "Field Authorization Error",
                    "resource_type": "tweet",
                    "parameter": "non_public_metrics",
                    "resource_id": tid,
                    "type": "https://api.twitter.com/2/problems/not-authorized-for-field",
                }
            )
            continue
        data.append(_tweet_json(net, post, fields, now))
    body: dict[str, Any] = {}
    if data:
        body["data"] = data
    if errors:
        body["errors"] = errors
    return json_response(body)


@router.route("GET", "/2/users/(?P<user_id>[0-9]+)/tweets")
def user_tweets(req: Request, user_id: str) -> Response:
    """A user's timeline of their own posts, newest first."""
    net = _net(req)
    tok = net.authenticate(req, "tweet.read")
    net.require_reads(tok)
    if "users.read" not in tok.scopes:
        raise Abort(net.error(403, "token lacks the users.read scope"))
    max_results = int(req.arg("max_results") or 10)
    if not 5 <= max_results <= 100:
        raise Abort(
            net.error(400, "The `max_results` query parameter value is not between 5 and 100", None)
        )
    net.meter(req, tok.handle, "users.tweets")
    fields = set((req.arg("tweet.fields") or "").split(","))
    now = net.state.clock.now()
    with net.state.lock:
        own = [p for p in net.state.posts["x"].values() if net.user_id(p.author) == user_id]
    own.sort(key=lambda p: p.created_at, reverse=True)
    data = []
    for post in own[:max_results]:
        tweet = _tweet_json(net, post, fields - {"non_public_metrics"}, now)
        if "entities" in fields:
            urls = []
            for m in _URL.finditer(post.text):
                urls.append(
                    {
                        "start": m.start(),
                        "end": m.end(),
                        "url": m[0],
                        "expanded_url": m[0],
                        "display_url": m[0].split("://", 1)[-1][:26],
                    }
                )
            if urls:
                tweet["entities"] = {"urls": urls}
        data.append(tweet)
    meta: dict[str, Any] = {"result_count": len(data)}
    if data:
        meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
    body: dict[str, Any] = {"meta": meta}
    if data:
        body["data"] = data
    return json_response(body)


@router.route("GET", "/2/tweets/(?P<tweet_id>[0-9]+)")
def get_tweet(req: Request, tweet_id: str) -> Response:
    net = _net(req)
    tok = net.authenticate(req, "tweet.read")
    net.require_reads(tok)
    net.meter(req, tok.handle, "tweets.lookup")
    post = net.state.get_post("x", tweet_id)
    if post is None:
        raise Abort(net.error(404, f"Could not find tweet with id: [{tweet_id}]."))
    fields = set((req.arg("tweet.fields") or "").split(","))
    return json_response({"data": _tweet_json(net, post, fields, net.state.clock.now())})
