"""LinkedIn: OAuth 2 (3-legged), OpenID userinfo, the versioned Posts API
(dated LinkedIn-Version header, 426 once a version is retired, post URN in
x-restli-id), member post analytics, follower count and comments."""

from __future__ import annotations

import re
import string
from typing import Any
from urllib.parse import quote, unquote

from .base import Abort, Network
from .engagement import comments, engagement, followers, stable_int
from .http import Request, Response, Router, json_response
from .oauth import authorize, client_credentials
from .rules import LINKEDIN_SELF_SERVE
from .state import Post, Token, TokenError

router = Router()
_ALPHABET = string.ascii_letters + string.digits + "-_"
_VERSION = re.compile(r"^(\d{4})(\d{2})(\.\d{2})?$")
_ENTITY = re.compile(r"^\((share|ugcPost):(urn:li:(?:share|ugcPost):\d+)\)$")
_METRIC_KEY = "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1"
_TOKEN_ERRORS = {
    "expired": (65602, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired"),
    "revoked": (
        65601,
        "REVOKED_ACCESS_TOKEN",
        "The token used in the request has been revoked by the user",
    ),
}


class LinkedInNetwork(Network):
    key = "linkedin"
    label = "LinkedIn"
    router = router
    # How many months a dated version stays served after its release.
    supported_months = 12

    def error(self, status: int, message: str, code: str | None = None) -> Response:
        if code in ("invalid_request", "invalid_grant", "invalid_client", "unsupported_grant_type"):
            return json_response({"error": code, "error_description": message}, status)
        body: dict[str, Any] = {"status": status, "message": message}
        if code:
            body["code"] = code
        return json_response(body, status)

    def auth_error(self, reason: str) -> Response:
        svc, code, msg = _TOKEN_ERRORS.get(
            reason, (65600, "INVALID_ACCESS_TOKEN", "Invalid access token")
        )
        return json_response(
            {"status": 401, "serviceErrorCode": svc, "code": code, "message": msg}, 401
        )

    def rate_limited(self, limit: int, reset: float) -> Response:
        # LinkedIn's 429s say nothing about when to come back; its daily
        # limits reset at midnight UTC.
        return json_response(
            {
                "status": 429,
                "message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
            },
            429,
        )

    def client_scopes(self, client_id: str) -> tuple[str, ...]:
        """What the app's products grant (rules.LINKEDIN_*): an app the policy
        does not know has the self-serve products only."""
        return self.state.policy.linkedin_scopes.get(client_id, LINKEDIN_SELF_SERVE)

    def member_id(self, handle: str) -> str:
        n = stable_int("li-member", handle.lower())
        out = []
        for _ in range(10):
            n, r = divmod(n, len(_ALPHABET))
            out.append(_ALPHABET[r])
        return "".join(out)

    def versioned(self, req: Request) -> None:
        """Every /rest call names a dated version; retired ones get a 426."""
        version = req.header("linkedin-version")
        if not version:
            raise Abort(
                self.error(
                    400,
                    "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                    "VERSION_MISSING",
                )
            )
        m = _VERSION.match(version)
        if not m:
            raise Abort(self.error(400, f"Invalid version {version}", "INVALID_VERSION"))
        now = self.state.clock.now_dt()
        months_old = (now.year - int(m[1])) * 12 + now.month - int(m[2])
        if months_old < 0 or months_old >= self.supported_months:
            raise Abort(
                self.error(426, f"Requested version {version} is not active", "NONEXISTENT_VERSION")
            )
        if req.header("x-restli-protocol-version") != "2.0.0":
            raise Abort(
                self.error(
                    400, "X-Restli-Protocol-Version: 2.0.0 is required", "INVALID_PROTOCOL_VERSION"
                )
            )

    def rest_auth(self, req: Request, scope: str | None, bucket: str) -> Token:
        self.versioned(req)
        tok = self.authenticate(req)
        if scope and scope not in tok.scopes:
            raise Abort(
                json_response(
                    {
                        "status": 403,
                        "serviceErrorCode": 100,
                        "code": "ACCESS_DENIED",
                        "message": f"Not enough permissions to access: {bucket}. Missing scope {scope}",
                    },
                    403,
                )
            )
        self.meter(req, tok.handle, bucket)
        return tok


def _net(req: Request) -> LinkedInNetwork:
    return req.network  # type: ignore[no-any-return]


@router.route("GET POST", "/oauth/v2/authorization")
def oauth_authorize(req: Request) -> Response:
    return authorize(
        _net(req),
        req,
        action="authorization",
        allowed_scopes=lambda client_id: _net(req).client_scopes(client_id),
        deny_params={
            "error": "access_denied",
            "error_description": "The member refused to authorize the application",
        },
    )


@router.route("POST", "/oauth/v2/accessToken")
def oauth_token(req: Request) -> Response:
    net = _net(req)
    form = req.form()
    client_id, secret = client_credentials(req, form)
    if not client_id or not secret:
        raise Abort(net.error(401, "Client authentication failed", "invalid_client"))
    life = net.state.lifetimes["linkedin"]
    grant = form.get("grant_type")
    if grant == "authorization_code":
        try:
            ac = net.state.consume_code(
                "linkedin",
                form.get("code", ""),
                client_id,
                form.get("redirect_uri", ""),
                form.get("code_verifier"),
            )
        except ValueError as exc:
            raise Abort(net.error(400, str(exc), "invalid_request")) from exc
        # Programmatic refresh tokens go to approved partners only
        # (learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens).
        refresh = None
        if client_id in net.state.policy.linkedin_partners:
            refresh = net.state.issue_token(
                "linkedin", "refresh", ac.handle, client_id, ac.scopes, life["refresh"]
            )
        handle, scopes = ac.handle, ac.scopes
    elif grant == "refresh_token":
        try:
            refresh = net.state.check_token("linkedin", form.get("refresh_token"), kind="refresh")
        except TokenError as exc:
            raise Abort(
                net.error(
                    400, "The provided refresh token is invalid or has expired", "invalid_request"
                )
            ) from exc
        handle, scopes = refresh.handle, refresh.scopes  # LinkedIn keeps the refresh token
    else:
        raise Abort(net.error(400, "Unsupported grant_type", "unsupported_grant_type"))
    access = net.state.issue_token("linkedin", "access", handle, client_id, scopes, life["access"])
    now = net.state.clock.now()
    body: dict[str, Any] = {
        "access_token": access.value,
        "expires_in": life["access"],
        "scope": ",".join(scopes),
        "token_type": "Bearer",
    }
    if refresh is not None:
        body["refresh_token"] = refresh.value
        body["refresh_token_expires_in"] = int((refresh.expires_at or now) - now)
    return json_response(body)


@router.route("GET", "/v2/userinfo")
def userinfo(req: Request) -> Response:
    net = _net(req)
    tok = net.authenticate(req, "openid")
    net.meter(req, tok.handle, "userinfo")
    name = tok.handle.replace(".", " ").title()
    given, _, family = name.partition(" ")
    info: dict[str, Any] = {
        "sub": net.member_id(tok.handle),
        "name": name,
        "given_name": given,
        "family_name": family or given,
        "picture": "https://media.licdn.invalid/profile.jpg",
        "locale": {"country": "US", "language": "en"},
    }
    if "email" in tok.scopes:
        info.update(email=f"{tok.handle}@example.com", email_verified=True)
    return json_response(info)


@router.route("GET", "/rest/memberFollowersCount")
def followers_count(req: Request) -> Response:
    net = _net(req)
    tok = net.rest_auth(req, "r_member_profileAnalytics", "memberFollowersCount")
    if req.arg("q") != "me":
        raise Abort(net.error(400, "q=me is required", "ILLEGAL_ARGUMENT"))
    return json_response(
        {
            "paging": {"start": 0, "count": 10, "links": []},
            "elements": [{"memberFollowersCount": followers("linkedin", tok.handle)}],
        }
    )


@router.route("POST", "/rest/posts")
def create_post(req: Request) -> Response:
    net = _net(req)
    tok = net.rest_auth(req, "w_member_social", "posts.create")
    body = net.body_json(req)
    author = f"urn:li:person:{net.member_id(tok.handle)}"
    if body.get("author") != author:
        raise Abort(
            net.error(
                403,
                f"Field Value validation failed in REQUEST_BODY: author must be {author}",
                "ACCESS_DENIED",
            )
        )
    commentary = body.get("commentary")
    if not isinstance(commentary, str) or len(commentary) > 3000:
        raise Abort(
            net.error(
                422, "commentary is required and at most 3000 characters", "UNPROCESSABLE_ENTITY"
            )
        )
    if body.get("lifecycleState") != "PUBLISHED" or not isinstance(body.get("distribution"), dict):
        raise Abort(
            net.error(
                422,
                "lifecycleState PUBLISHED and distribution are required",
                "UNPROCESSABLE_ENTITY",
            )
        )
    article = (body.get("content") or {}).get("article") or {}
    urn = f"urn:li:share:{7_200_000_000_000_000_000 + net.state.next_id()}"
    net.state.add_post(
        Post(
            "linkedin",
            urn,
            tok.handle,
            re.sub(r"\\(.)", r"\1", commentary),  # little-text escapes render as the bare character
            article.get("source"),
            net.state.clock.now(),
            extra={
                "article": article,
                "visibility": body.get("visibility"),
                "commentary": commentary,  # read back in little-text form, as sent
            },
        )
    )
    return Response(201, b"", {"x-restli-id": urn, "x-linkedin-id": urn})


@router.route("GET", "/rest/posts")
def find_posts(req: Request) -> Response:
    """Find posts by author (q=author), newest first; a member's own posts need
    the restricted r_member_social permission."""
    net = _net(req)
    if req.arg("q") != "author":
        raise Abort(net.error(400, "q=author is the only finder simulated", "ILLEGAL_ARGUMENT"))
    tok = net.rest_auth(req, "r_member_social", "posts.find")
    author = unquote(req.arg("author") or "")
    if author != f"urn:li:person:{net.member_id(tok.handle)}":
        raise Abort(
            net.error(
                403, "Member permissions must be used when using member as author", "ACCESS_DENIED"
            )
        )
    start, count = int(req.arg("start") or 0), min(int(req.arg("count") or 10), 100)
    with net.state.lock:
        own = [p for p in net.state.posts["linkedin"].values() if p.author == tok.handle]
    own.sort(key=lambda p: p.created_at, reverse=True)
    page = own[start : start + count]
    elements = []
    for post in page:
        ms = int(post.created_at * 1000)
        element: dict[str, Any] = {
            "id": post.id,
            "author": author,
            "commentary": post.extra.get("commentary", post.text),
            "visibility": post.extra.get("visibility") or "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "lifecycleStateInfo": {"isEditedByAuthor": False},
            "isReshareDisabledByAuthor": False,
            "createdAt": ms,
            "publishedAt": ms,
            "lastModifiedAt": ms,
        }
        if post.extra.get("article"):
            element["content"] = {"article": post.extra["article"]}
        elements.append(element)
    return json_response(
        {
            "paging": {"start": start, "count": count, "total": len(own), "links": []},
            "elements": elements,
        }
    )


@router.route("POST", "/oauth/v2/revoke")
def oauth_revoke(req: Request) -> Response:
    net = _net(req)
    form = req.form()
    client_id, secret = client_credentials(req, form)
    if not client_id or not secret:
        raise Abort(net.error(401, "Client authentication failed", "invalid_client"))
    net.state.revoke(token=form.get("token"))
    return Response(200, b"", {})


def _post_or_404(net: LinkedInNetwork, urn: str, tok: Token) -> Post:
    post = net.state.get_post("linkedin", urn)
    if post is None:
        raise Abort(net.error(404, f"Entity {urn} not found", "NOT_FOUND"))
    if post.author != tok.handle:
        raise Abort(net.error(403, "Not enough permissions to access this entity", "ACCESS_DENIED"))
    return post


@router.route("GET", "/rest/memberCreatorPostAnalytics")
def post_analytics(req: Request) -> Response:
    net = _net(req)
    tok = net.rest_auth(req, "r_member_postAnalytics", "memberCreatorPostAnalytics")
    m = _ENTITY.match(unquote(req.arg("entity") or ""))
    if req.arg("q") != "entity" or not m:
        raise Abort(
            net.error(400, "q=entity and entity=(share:urn) are required", "ILLEGAL_ARGUMENT")
        )
    query_type = req.arg("queryType") or ""
    post = _post_or_404(net, m[2], tok)
    e = engagement("linkedin", post.id, post.author, net.state.clock.now() - post.created_at)
    counts = {
        "IMPRESSION": e.impressions,
        "MEMBERS_REACHED": e.reach,
        "RESHARE": e.reposts,
        "REACTION": e.reactions,
        "COMMENT": e.comments,
    }
    if query_type not in counts:
        raise Abort(net.error(400, f"Invalid queryType {query_type}", "ILLEGAL_ARGUMENT"))
    return json_response(
        {
            "paging": {"start": 0, "count": 10, "links": []},
            "elements": [
                {
                    "count": counts[query_type],
                    "metricType": {_METRIC_KEY: query_type},
                    "targetEntity": {m[1]: post.id},
                }
            ],
        }
    )


@router.route("GET", "/rest/socialActions/(?P<urn>[^/]+)/comments")
def post_comments(req: Request, urn: str) -> Response:
    net = _net(req)
    tok = net.rest_auth(req, "r_member_social", "socialActions.comments")
    post = _post_or_404(net, unquote(urn), tok)
    now = net.state.clock.now()
    items = comments("linkedin", post.id, post.author, post.created_at, now)
    start, count = int(req.arg("start") or 0), min(int(req.arg("count") or 10), 100)
    page = items[start : start + count]
    return json_response(
        {
            "paging": {"start": start, "count": count, "total": len(items), "links": []},
            "elements": [
                {
                    "id": c.id,
                    "$URN": f"urn:li:comment:({quote(post.id, safe=':')},{c.id})",
                    "actor": f"urn:li:person:{net.member_id(c.author)}",
                    "object": post.id,
                    "message": {"text": c.text},
                    "created": {"time": int(c.created_at * 1000)},
                }
                for c in page
            ],
        }
    )
