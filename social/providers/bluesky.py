"""Bluesky adapter: app-password sessions (com.atproto.server.createSession)
instead of an OAuth redirect, rotating refresh JWTs, posts with a link facet
and an external link card, and metrics for up to 25 posts a call."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from advocacy import lengths
from advocacy.outbound_requests import OutboundBlocked

from .base import (
    REFRESH_EXPIRES_AT,
    AuthStart,
    MetricsSnapshot,
    NotSupported,
    Permanent,
    Profile,
    ProviderError,
    PublishResult,
    RateLimitInfo,
    ReauthRequired,
    RecentPost,
    ShareRequest,
    TokenExpired,
    TokenSet,
    Transient,
)
from .common import BaseProvider, parse_time, utc_from_epoch

MAX_GRAPHEMES = lengths.LIMITS[lengths.BLUESKY]


def jwt_expiry(token: str) -> datetime | None:
    """The exp claim, read without verifying: only to schedule refreshes."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return utc_from_epoch(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class BlueskyProvider(BaseProvider):
    key = "bluesky"
    capabilities = frozenset(
        {
            "publish",
            "refresh",
            "app_password",
            "metrics.reactions",
            "metrics.comments",
            "metrics.reposts",
            "comments.text",
        }
    )
    max_metrics_batch = 25
    # A did:web host and the PDS a DID document names are anyone's choice: every
    # call to them goes through the core's outbound gate (not the configured servers).
    outbound_gated = True

    def xrpc(self, method: str, token: TokenSet | None = None) -> str:
        """On the account's own server (its PDS, from its DID document) once known."""
        pds = (token.extra.get("pds") if token else None) or self.config.api_base_url
        return f"{str(pds).rstrip('/')}/xrpc/{method}"

    # -- identity: handle -> DID -> DID document -> PDS -------------------------------
    # https://atproto.com/specs/handle , https://atproto.com/specs/did
    # https://docs.bsky.app/docs/advanced-guides/resolving-identities

    @property
    def plc_url(self) -> str:
        return str(self.config.extra.get("plc_url") or "https://plc.directory").rstrip("/")

    def _get_json(self, url: str, what: str, **params: Any) -> dict[str, Any]:
        try:
            resp = self.session().get(url, params=params or None, timeout=self.timeout)
        except OutboundBlocked as exc:
            raise self.blocked(exc) from None
        except requests.RequestException as exc:
            raise Transient(
                f"Bluesky {what} unreachable: {type(exc).__name__}", network=self.key
            ) from None
        if resp.status_code in (400, 404):
            raise ReauthRequired(
                f"Bluesky could not find {what} ({resp.status_code})",
                status=resp.status_code,
                network=self.key,
            )
        err = self.classify(resp, what)
        if err is not None:
            raise err
        body = self.json(resp)
        if not isinstance(body, dict):
            raise Transient(f"Bluesky {what} answered with something odd", network=self.key)
        return body

    def resolve_pds(self, identifier: str) -> tuple[str, str]:
        """(did, PDS base URL) of a handle or DID."""
        did = identifier
        if not did.startswith("did:"):
            did = str(
                self._get_json(
                    self.xrpc("com.atproto.identity.resolveHandle"),
                    "the handle",
                    handle=identifier,
                ).get("did")
                or ""
            )
        if did.startswith("did:plc:"):
            doc = self._get_json(f"{self.plc_url}/{did}", "the DID document")
        elif did.startswith("did:web:"):
            doc_url = f"https://{did.removeprefix('did:web:')}/.well-known/did.json"
            self._vet(doc_url)
            doc = self._get_json(doc_url, "the DID document")
        else:
            raise ReauthRequired(
                f"Bluesky handle resolved to no usable DID ({did!r})", network=self.key
            )
        for service in doc.get("service") or []:
            if str(service.get("id", "")).endswith("#atproto_pds") and service.get(
                "serviceEndpoint"
            ):
                pds = str(service["serviceEndpoint"]).rstrip("/")
                self._vet(pds)
                return did, pds
        raise ReauthRequired("Bluesky DID document names no PDS", network=self.key)

    def _vet(self, url: str) -> None:
        """A server the account names (a did:web host, the PDS its DID document gives)
        is anyone's choice: it must be a public address, like every tenant-given address
        (the core's outbound gate). The configured servers (bsky.social, the PLC directory,
        the sandbox in development) are the operator's and are not checked."""
        from advocacy import outbound

        def origin(address: str) -> tuple[str, str]:
            parts = urlsplit(address)
            return parts.scheme.lower(), parts.netloc.lower()

        if origin(url) in (origin(str(self.config.api_base_url)), origin(self.plc_url)):
            return
        try:
            outbound.check_url(url)
        except outbound.Unreachable:
            raise Transient(
                "Bluesky account's server could not be found", network=self.key
            ) from None
        except outbound.OutboundError:
            raise Permanent(
                "Bluesky account names a server that is not a public address",
                network=self.key,
                code="not_public",
            ) from None

    def trusted_origins(self) -> tuple[str, ...]:
        return (str(self.config.api_base_url), self.plc_url, *super().trusted_origins())

    # -- sessions --------------------------------------------------------------------

    def start_auth(self, redirect_uri: str) -> AuthStart:
        raise NotSupported(
            "Bluesky connects with an app password: call login(handle, app_password)",
            network=self.key,
        )

    def finish_auth(
        self, code: str, code_verifier: str | None, redirect_uri: str
    ) -> tuple[TokenSet, Profile]:
        raise NotSupported(
            "Bluesky connects with an app password: call login(handle, app_password)",
            network=self.key,
        )

    def login(self, handle: str, app_password: str) -> tuple[TokenSet, Profile]:
        """Sign in on the account's own server: bsky.social only hosts its own
        accounts, a self-hosted PDS answers for the others."""
        identifier = handle.strip().lstrip("@")
        _did, pds = self.resolve_pds(identifier)
        resp = self._post_plain(
            f"{pds}/xrpc/com.atproto.server.createSession",
            {"identifier": identifier, "password": app_password},
        )
        if resp.status_code == 401:
            raise ReauthRequired(
                "Bluesky refused the handle or app password", status=401, network=self.key
            )
        session = self._checked(resp, "createSession")
        token = self._token(session, pds=pds)
        profile = self.json(
            self.call(
                token,
                "GET",
                self.xrpc("app.bsky.actor.getProfile", token),
                bucket="getProfile",
                params={"actor": session["did"]},
            )
        )
        return token, Profile(
            external_id=str(session["did"]),
            handle=str(session["handle"]),
            display_name=str(profile.get("displayName") or session["handle"]),
            followers=profile.get("followersCount"),
            profile_url=f"https://bsky.app/profile/{session['handle']}",
        )

    def refresh(self, token: TokenSet) -> TokenSet:
        if not token.refresh_token:
            raise ReauthRequired(
                "Bluesky session has no refresh token; log in again", network=self.key
            )
        try:
            resp = self.session().post(
                self.xrpc("com.atproto.server.refreshSession", token),
                headers={"Authorization": f"Bearer {token.refresh_token}"},
                timeout=self.timeout,
            )
        except OutboundBlocked as exc:
            raise self.blocked(exc) from None
        except requests.RequestException as exc:
            raise Transient(
                f"Bluesky refresh failed: {type(exc).__name__}", network=self.key
            ) from None
        if resp.status_code in (400, 401):
            raise ReauthRequired(
                "Bluesky refused the refresh token; log in again",
                status=resp.status_code,
                network=self.key,
            )
        return self._token(self._checked(resp, "refreshSession"), previous=token)

    def _post_plain(self, url: str, body: dict[str, Any]) -> requests.Response:
        try:
            return self.session().post(url, json=body, timeout=self.timeout)
        except OutboundBlocked as exc:
            raise self.blocked(exc) from None
        except requests.RequestException as exc:
            raise Transient(
                f"Bluesky unreachable: {type(exc).__name__}", network=self.key
            ) from None

    def _checked(self, resp: requests.Response, bucket: str) -> dict[str, Any]:
        err = self.classify(resp, bucket)
        if err is not None:
            raise err
        body = self.json(resp)
        if not isinstance(body, dict) or "accessJwt" not in body:
            raise Transient("Bluesky session answer has no tokens", network=self.key)
        return body

    def _token(
        self, session: dict[str, Any], previous: TokenSet | None = None, pds: str | None = None
    ) -> TokenSet:
        refresh_ends = jwt_expiry(session["refreshJwt"]) if session.get("refreshJwt") else None
        return TokenSet(
            access_token=session["accessJwt"],
            refresh_token=session.get("refreshJwt")
            or (previous.refresh_token if previous else None),
            expires_at=jwt_expiry(session["accessJwt"]),
            scopes=("atproto",),
            extra={
                "did": session.get("did"),
                "handle": session.get("handle"),
                "pds": pds or (previous.extra.get("pds") if previous else None),
                # Rotating: each refresh brings a new one with a new end (about 90 days).
                REFRESH_EXPIRES_AT: int(refresh_ends.timestamp())
                if refresh_ends
                else (previous.extra.get(REFRESH_EXPIRES_AT) if previous else None),
            },
        )

    # -- publishing ------------------------------------------------------------------

    def publish(self, token: TokenSet, post: ShareRequest) -> PublishResult:
        did = token.extra.get("did")
        if not did:
            raise ReauthRequired("Bluesky session has no DID; log in again", network=self.key)
        text = post.text
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "createdAt": _now_iso(),
        }
        if post.language:  # app.bsky.feed.post#langs: BCP-47 tags, the content's language
            record["langs"] = [post.language]
        if post.link_url:
            if post.link_url not in text and lengths.fits(
                f"{text}\n\n{post.link_url}", lengths.BLUESKY
            ):
                text = f"{text}\n\n{post.link_url}"
            if post.link_url in text:
                byte_start = len(
                    text[: text.index(post.link_url)].encode()
                )  # facets index UTF-8 bytes
                record["facets"] = [
                    {
                        "index": {
                            "byteStart": byte_start,
                            "byteEnd": byte_start + len(post.link_url.encode()),
                        },
                        "features": [
                            {"$type": "app.bsky.richtext.facet#link", "uri": post.link_url}
                        ],
                    }
                ]
            # app.bsky.embed.external#external: uri, title and description are required;
            # the card shows the shared content's title, the link itself only when there is none.
            # https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/external.json
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {
                    "uri": post.link_url,
                    "title": post.link_title or post.link_url,
                    "description": post.link_description or "",
                },
            }
        size = lengths.measure(text, lengths.BLUESKY)
        if not size.ok:
            raise Permanent(f"Not sent: {size.problem()}", network=self.key, code="too_long")
        record["text"] = text
        resp = self.call(
            token,
            "POST",
            self.xrpc("com.atproto.repo.createRecord", token),
            bucket="createRecord",
            json={"repo": did, "collection": "app.bsky.feed.post", "record": record},
        )
        uri = str(self.json(resp)["uri"])
        rkey = uri.rsplit("/", 1)[-1]
        return PublishResult(
            external_id=uri,
            url=f"https://bsky.app/profile/{token.extra.get('handle') or did}/post/{rkey}",
        )

    def recent_posts(self, token: TokenSet, *, limit: int = 20) -> list[RecentPost]:
        """The account's latest posts (app.bsky.feed.getAuthorFeed), reposts left out."""
        did = token.extra.get("did")
        if not did:
            raise ReauthRequired("Bluesky session has no DID; log in again", network=self.key)
        resp = self.call(
            token,
            "GET",
            self.xrpc("app.bsky.feed.getAuthorFeed", token),
            bucket="getAuthorFeed",
            params={"actor": did, "limit": max(1, min(limit, 100)), "filter": "posts_no_replies"},
        )
        handle = token.extra.get("handle") or did
        out = []
        for item in self.json(resp).get("feed") or []:
            post = item.get("post") or {}
            author = (post.get("author") or {}).get("did")
            if item.get("reason") or (author and author != did):
                continue  # a repost of someone else's post
            record = post.get("record") or {}
            external = (record.get("embed") or {}).get("external") or {}
            facets = [
                f.get("uri")
                for facet in record.get("facets") or []
                for f in facet.get("features") or []
                if f.get("$type") == "app.bsky.richtext.facet#link"
            ]
            uri = str(post.get("uri", ""))
            out.append(
                RecentPost(
                    external_id=uri,
                    url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}",
                    text=str(record.get("text", "")),
                    link_url=external.get("uri") or (facets[0] if facets else None),
                    created_at=parse_time(record.get("createdAt")),
                )
            )
        return out

    def revoke(self, token: TokenSet) -> None:
        """Bluesky's revocation is ending the session with its refresh token."""
        if not token.refresh_token:
            return
        try:
            resp = self.session().post(
                self.xrpc("com.atproto.server.deleteSession", token),
                headers={"Authorization": f"Bearer {token.refresh_token}"},
                timeout=self.timeout,
            )
        except OutboundBlocked as exc:
            raise self.blocked(exc) from None
        except requests.RequestException as exc:
            raise Transient(
                f"Bluesky unreachable: {type(exc).__name__}", network=self.key
            ) from None
        if resp.status_code in (400, 401):
            return  # the session is already gone
        err = self.classify(resp, "deleteSession")
        if err is not None:
            raise err

    # -- metrics ---------------------------------------------------------------------

    def fetch_metrics(self, token: TokenSet, ids: Sequence[str]) -> list[MetricsSnapshot]:
        if len(ids) > self.max_metrics_batch:
            raise Permanent(
                f"Bluesky getPosts takes at most {self.max_metrics_batch} uris", network=self.key
            )
        if not ids:
            return []
        resp = self.call(
            token,
            "GET",
            self.xrpc("app.bsky.feed.getPosts", token),
            bucket="getPosts",
            params=[("uris", u) for u in ids],
        )
        views = {p["uri"]: p for p in self.json(resp).get("posts", [])}
        out = []
        for uri in ids:
            view = views.get(uri)
            if view is None:  # deleted posts are simply absent
                continue
            texts: list[str] = []
            if view.get("replyCount"):
                thread = self.json(
                    self.call(
                        token,
                        "GET",
                        self.xrpc("app.bsky.feed.getPostThread", token),
                        bucket="getPostThread",
                        params={"uri": uri, "depth": 1},
                    )
                )
                texts = [
                    r["post"]["record"].get("text", "")
                    for r in thread.get("thread", {}).get("replies", [])
                    if r.get("post")
                ]
            out.append(
                MetricsSnapshot(
                    external_id=uri,
                    impressions=None,  # Bluesky does not count views
                    reach=None,
                    reactions=view.get("likeCount"),
                    comments=view.get("replyCount"),
                    reposts=(view.get("repostCount") or 0) + (view.get("quoteCount") or 0),
                    clicks=None,
                    comment_texts=texts,
                )
            )
        return out

    # -- errors ----------------------------------------------------------------------

    def classify(self, resp: requests.Response, bucket: str) -> ProviderError | None:
        if resp.status_code == 400:
            try:
                name = resp.json().get("error")
            except (ValueError, AttributeError):
                name = None
            if name in ("ExpiredToken", "InvalidToken"):
                return TokenExpired(
                    f"Bluesky session token rejected ({name})", status=400, network=self.key
                )
        return super().classify(resp, bucket)

    def rate_limit_from_headers(self, resp: requests.Response) -> RateLimitInfo | None:
        h = resp.headers
        if "ratelimit-reset" not in h:
            return None
        try:
            return RateLimitInfo(
                self.bucket_for(resp),
                int(h.get("ratelimit-remaining", 0)),
                int(h.get("ratelimit-limit", 0)),
                utc_from_epoch(h["ratelimit-reset"]),
            )
        except ValueError:
            return None


def _now_iso() -> str:
    now = datetime.now(tz=UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
