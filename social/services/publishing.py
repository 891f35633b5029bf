"""Publishing through a connection, without ever posting twice.

Most networks have no idempotency, so the state is written first:
pending → publishing (committed before the network call) → published |
failed | back to pending with a retry time (rate limit, fault before the
request left) | unknown (the request may have reached the network but its
answer was lost). An unknown one is reconciled, never blindly retried.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.tenancy.access import ensure_in_org
from advocacy.tenancy.models import Organization
from social.limits import bucket_name, buckets, observed_responses, sync_from
from social.messages import explain
from social.models import Connection, ConnectionEvent, Publication
from social.providers.base import (
    NotSupported,
    Permanent,
    ProviderError,
    PublishResult,
    RateLimited,
    ReauthRequired,
    RecentPost,
    ShareRequest,
    TokenExpired,
    Transient,
)

from .connections import connection_event_record
from .tokens import connection_provider, with_token

log = logging.getLogger(__name__)

# Transient faults before the request left: retried with backoff this many times.
MAX_ATTEMPTS = 6
# A publishing row older than this lost its worker (the call has a 15 s timeout).
STALE_PUBLISHING = timedelta(minutes=2)
# Networks that refuse a second identical post: retrying proves whether the first went out.
DUPLICATE_REFUSING = {"x": "duplicate content"}


def publication_create(
    *,
    organization: Organization,
    connection: Connection,
    text: str,
    link_url: str,
    image_url: str = "",
    language: str = "",
    link_title: str = "",
    link_description: str = "",
    idempotency_key: str,
) -> Publication:
    """The publication for this key: created once, returned as is afterwards.

    `link_title` and `link_description` describe the link's card where the network lets
    us build it (a LinkedIn article, a Bluesky external embed): the shared content's
    title and summary, never the short link itself."""
    ensure_in_org(organization, connection)
    publication, _created = Publication.objects.for_org(organization).get_or_create(
        organization=organization,
        idempotency_key=idempotency_key,
        defaults={
            "connection": connection,
            "text": text,
            "link_url": link_url or "",
            "image_url": image_url or "",
            "language": language or "",
            "link_title": (link_title or "").strip()[:300],
            "link_description": (link_description or "").strip()[:500],
        },
    )
    return publication


def network_idempotency_key(publication: Publication) -> str:
    """Sent where the network honours one (Mastodon); stable across retries."""
    return f"chorus-publication-{publication.pk}"


def _share_request(publication: Publication) -> ShareRequest:
    return ShareRequest(
        text=publication.text,
        link_url=publication.link_url or None,
        image_url=publication.image_url or None,
        idempotency_key=network_idempotency_key(publication),
        language=publication.language or None,
        link_title=publication.link_title or None,
        link_description=publication.link_description or None,
    )


def _save(publication: Publication, **fields: Any) -> Publication:
    for name, value in fields.items():
        setattr(publication, name, value)
    if "error" in fields:
        publication.error = (publication.error or "")[:500]
    publication.save(update_fields=list(fields))
    return publication


def _published(publication: Publication, result: PublishResult, note: str = "") -> Publication:
    return _save(
        publication,
        status=Publication.Status.PUBLISHED,
        external_id=result.external_id[:300],
        external_url=result.url[:1000],
        published_at=timezone.now(),
        retry_at=None,
        needs_manual_check=False,
        error=note,
    )


def _backoff(attempts: int) -> timedelta:
    seconds = min(3600, 30 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # jitter spreads retries


def _request_was_sent(err: Transient) -> bool:
    """Could the network have acted on the request although we got no usable answer?"""
    if err.status is not None:
        # A success status with an unreadable body, or a gateway that gave up waiting.
        return err.status < 400 or err.status == 504
    cause = err.__context__
    if isinstance(cause, requests.ConnectTimeout):
        return False
    if isinstance(cause, requests.ConnectionError):
        reason = getattr(cause.args[0], "reason", None) if cause.args else None
        # Refused or unresolvable: the request never left. A reset mid-answer did.
        return not type(reason).__name__.startswith(("NewConnectionError", "NameResolution"))
    return True  # a read timeout, or anything we cannot tell apart from one


def publication_execute(*, organization: Organization, publication: Publication) -> Publication:
    """Publish a pending publication once. Never raises for network faults:
    the outcome is in the returned publication's status and error."""
    ensure_in_org(organization, publication)
    now = timezone.now()
    with transaction.atomic():
        pub = (
            Publication.objects.for_org(organization)
            .select_for_update(of=("self",))  # lock the publication, not its connection
            .select_related("connection__instance_app")
            .get(pk=publication.pk)
        )
        if pub.status != Publication.Status.PENDING:
            return pub
        connection = pub.connection
        label = connection.get_network_display()
        if not connection.is_usable:
            return _save(
                pub,
                status=Publication.Status.FAILED,
                error=explain(ReauthRequired("not connected"), label),
            )
        bucket = bucket_name(connection, "publish")
        allowed, retry_at = buckets().take(bucket)
        if not allowed:
            # Our own count says the network would refuse: wait, do not spend a call.
            return _save(
                pub,
                retry_at=retry_at or now + timedelta(minutes=1),
                error=explain(RateLimited("", retry_at=now, bucket=bucket), label),
            )
        _save(
            pub,
            status=Publication.Status.PUBLISHING,
            attempts=pub.attempts + 1,
            attempted_at=now,
            retry_at=None,
        )
    # Committed: from here on the network may hold the post.
    sending = {"publish": False}

    def publish(token: Any) -> PublishResult:
        sending["publish"] = True
        try:
            return provider.publish(token, _share_request(pub))
        except TokenExpired:
            sending["publish"] = False  # a 401 means nothing was posted
            raise

    provider = None
    try:
        provider = connection_provider(connection)
        with observed_responses(provider) as seen:
            try:
                result = with_token(organization=organization, connection=connection, call=publish)
            finally:
                sync_from(provider, bucket, seen)
    except RateLimited as err:
        buckets().cooldown(bucket, err.retry_at)
        return _save(
            pub, status=Publication.Status.PENDING, retry_at=err.retry_at, error=explain(err, label)
        )
    except Transient as err:
        if sending["publish"] and _request_was_sent(err):
            return _unknown(organization, pub, err.message)
        if pub.attempts >= MAX_ATTEMPTS:
            return _failed(organization, pub, err)
        return _save(
            pub,
            status=Publication.Status.PENDING,
            retry_at=timezone.now() + _backoff(pub.attempts),
            error=explain(err, label),
        )
    except (ReauthRequired, TokenExpired, Permanent, NotSupported, ProviderError) as err:
        return _failed(organization, pub, err)
    except Exception:
        # A bug or an answer no adapter expected, after the request may have
        # gone out: treat it as lost rather than risk a second post.
        log.exception("publication %s: unexpected error while publishing", pub.pk)
        return _unknown(organization, pub, "unexpected error while reading the answer")
    return _published(pub, result)


def _failed(organization: Organization, pub: Publication, err: Exception) -> Publication:
    label = pub.connection.get_network_display()
    technical = getattr(err, "message", str(err))
    connection_event_record(
        organization=organization,
        connection=pub.connection,
        network=pub.connection.network,
        kind=ConnectionEvent.Kind.ERROR,
        message=_("Publishing failed: %(reason)s") % {"reason": technical},
    )
    return _save(pub, status=Publication.Status.FAILED, retry_at=None, error=explain(err, label))


def _unknown(organization: Organization, pub: Publication, technical: str) -> Publication:
    log.warning("publication %s: outcome lost (%s); will reconcile", pub.pk, technical)
    return _save(
        pub,
        status=Publication.Status.UNKNOWN,
        error=_("We could not confirm that %(network)s published this post. Checking…")
        % {"network": pub.connection.get_network_display()},
    )


# --- reconciliation -------------------------------------------------------------------

# How many of the account's latest posts are looked through.
LOOKUP_LIMIT = 50
# A network's clock may run this far behind ours.
CLOCK_SKEW = timedelta(minutes=5)
# A network's list can lag a new post by a few seconds; "it is not there" is
# believed only this long after the attempt (the beat asks every 5 minutes).
SETTLE = timedelta(seconds=60)


def _without_link(text: str, link: str) -> str:
    words = text.split()
    return " ".join(w for w in words if w != link) if link else " ".join(words)


def match_post(
    publication: Publication, posts: Sequence[RecentPost], *, since: datetime | None = None
) -> RecentPost | None:
    """The network's post that is this publication: the same idempotency key
    where the network echoes one, else exactly the same text (whitespace
    aside) carrying the same link, posted no earlier than ``since``."""
    key = network_idempotency_key(publication)
    for post in posts:
        if post.idempotency_key == key:
            return post
    link = publication.link_url
    wanted = _without_link(publication.text, link)
    for post in posts:
        if since is not None and post.created_at is not None and post.created_at < since:
            continue
        if link and link != post.link_url and link not in post.text.split():
            continue
        if _without_link(post.text, link) == wanted:
            return post
    return None


def _listing_reaches(posts: Sequence[RecentPost], since: datetime) -> bool:
    """Whether the list covers everything since ``since``: shorter than asked
    for (the whole history), or reaching back past it."""
    return len(posts) < LOOKUP_LIMIT or any(p.created_at and p.created_at < since for p in posts)


def publication_reconcile(*, organization: Organization, publication: Publication) -> Publication:
    """Settle a publication whose outcome was lost by looking through the
    account's recent posts, never posting blindly: published (with the
    network's id and address) when the post is there; pending again (sent
    once more by the normal path) when the list shows it is not; unknown,
    asked again later, while the network cannot tell yet; flagged for a
    person when it never can."""
    ensure_in_org(organization, publication)
    pub = (
        Publication.objects.for_org(organization)
        .select_related("connection__instance_app")
        .get(pk=publication.pk)
    )
    now = timezone.now()
    if pub.status == Publication.Status.PUBLISHING:
        if pub.attempted_at and pub.attempted_at > now - STALE_PUBLISHING:
            return pub  # its worker may still be waiting for the answer
        pub = _save(pub, status=Publication.Status.UNKNOWN)
    if pub.status != Publication.Status.UNKNOWN:
        return pub
    connection = pub.connection
    label = connection.get_network_display()
    _save(pub, checks=pub.checks + 1)
    try:
        provider = connection_provider(connection)
        try:
            posts = with_token(
                organization=organization,
                connection=connection,
                call=lambda token: provider.recent_posts(token, limit=LOOKUP_LIMIT),
            )
        except (NotSupported, Permanent) as err:
            if isinstance(err, Permanent) and err.status != 403:
                raise
            # This account (scope, API tier) may not read its own posts.
            return _reconcile_without_lookup(organization, pub, provider)
        # Every attempt of this publication happened after it was created.
        since = pub.created_at - CLOCK_SKEW
        found = match_post(pub, posts, since=since)
        if found is not None:
            return _published(pub, PublishResult(external_id=found.external_id, url=found.url))
        if not _listing_reaches(posts, since):
            return _manual(pub, label)  # so many newer posts that ours could be further down
        if pub.attempted_at and pub.attempted_at > now - SETTLE:
            return _save(
                pub,
                error=_("We could not confirm that %(network)s published this post. Checking…")
                % {"network": label},
            )
        if "idempotent_publish" in provider.capabilities:
            # Not there; sending with the same key is safe even if it appears late.
            return _published(pub, _resend(organization, pub, provider))
        if pub.attempts >= MAX_ATTEMPTS:
            return _manual(pub, label)
        # The network shows no such post: the one lost attempt did not go out.
        return _save(pub, status=Publication.Status.PENDING, retry_at=None, error="")
    except (RateLimited, Transient) as err:
        return _save(pub, error=explain(err, label))  # ask again on the next round
    except ProviderError as err:
        return _save(pub, needs_manual_check=True, error=explain(err, label))


def _resend(organization: Organization, pub: Publication, provider: Any) -> PublishResult:
    return with_token(  # type: ignore[no-any-return]
        organization=organization,
        connection=pub.connection,
        call=lambda token: provider.publish(token, _share_request(pub)),
    )


def _manual(pub: Publication, label: str) -> Publication:
    return _save(
        pub,
        needs_manual_check=True,
        error=_(
            "%(network)s cannot be asked whether this post went out. Please look at your "
            "%(network)s profile and tell us."
        )
        % {"network": label},
    )


def _reconcile_without_lookup(
    organization: Organization, pub: Publication, provider: Any
) -> Publication:
    """Where the account may not list its posts: a resend the network
    deduplicates (Mastodon's key, X's duplicate refusal) settles it;
    otherwise a person looks."""
    connection = pub.connection
    label = connection.get_network_display()
    if "idempotent_publish" in provider.capabilities:
        # Same key: the network answers with the post made the first time, if any.
        return _published(pub, _resend(organization, pub, provider))
    marker = DUPLICATE_REFUSING.get(connection.network)
    if not marker:
        return _manual(pub, label)
    try:
        result = _resend(organization, pub, provider)
    except Permanent as err:
        if marker not in err.message.lower():
            raise
        # Refused as a duplicate: the first attempt did go out.
        return _published(
            pub,
            PublishResult(external_id="", url=connection.profile_url),
            note=_("%(network)s has this post, but did not tell us its address.")
            % {"network": label},
        )
    return _published(pub, result)


def publication_resolve(
    *, organization: Organization, publication: Publication, posted: bool, external_url: str = ""
) -> Publication:
    """A person looked at their profile: it is there (published) or not (pending, safe to send)."""
    ensure_in_org(organization, publication)
    if publication.status != Publication.Status.UNKNOWN:
        return publication
    if posted:
        return _published(publication, PublishResult(external_id="", url=external_url))
    return _save(
        publication,
        status=Publication.Status.PENDING,
        needs_manual_check=False,
        retry_at=None,
        error="",
    )
