"""Reposting an advocate's share on the company account, once they agreed.

Recognition publishes ShareRepostRequested when the advocate consents; a task
carries it out here. The post goes through the social app's publication state
machine keyed by the repost request, so a rerun (a retried task, a duplicate
event) never posts twice. The outcome goes back as ShareReposted.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from advocacy import events
from advocacy.tenancy.models import Organization
from social.models import Publication
from social.services import publication_create, publication_execute, publication_reconcile

from ..links import tracked_link_create, tracked_link_url
from ..models import Repost, Share
from ..selectors import campaign_settings_get
from .publishing import link_card_title


def repost_text(*, organization: Organization, share: Share) -> str:
    """The company's words, in the organization's language (the post is public, not personal)."""
    user = share.membership.user
    advocate = user.get_full_name() or user.email.split("@")[0]
    with translation.override(organization.default_language):
        return _("Reposting %(advocate)s's post") % {"advocate": advocate}


def _finish(organization: Organization, repost: Repost, status: str, error: str = "") -> Repost:
    repost.status = status
    repost.error = error[:500]
    repost.save(update_fields=["status", "error", "updated_at"])
    events.publish(
        events.ShareReposted(
            organization_id=organization.pk,
            repost_request_id=repost.repost_request_id,
            ok=status == Repost.Status.PUBLISHED,
            error=repost.error,
        )
    )
    return repost


def repost_carry_out(
    *,
    organization: Organization,
    repost_request_id: int,
    share_id: int,
    consented_by_id: int | None,
) -> Repost:
    """Repost the share on the company account once per request; safe to call again.
    Only the share's owner can consent: anyone else's consent fails the repost."""
    share = (
        Share.objects.for_org(organization)
        .select_related("membership__user", "content", "campaign")
        .filter(pk=share_id)
        .first()
    )
    with transaction.atomic():
        repost, _created = Repost.objects.for_org(organization).get_or_create(
            organization=organization,
            repost_request_id=repost_request_id,
            defaults={"share": share},
        )
        repost = Repost.objects.for_org(organization).select_for_update().get(pk=repost.pk)
        if repost.status != Repost.Status.PENDING:
            return repost
        if share is None:
            return _finish(
                organization,
                repost,
                Repost.Status.FAILED,
                _("The advocate's post no longer exists."),
            )
        if share.membership_id != consented_by_id:
            return _finish(
                organization,
                repost,
                Repost.Status.FAILED,
                _("Only the advocate who shared this post can agree to repost it."),
            )
        company = (
            repost.connection or campaign_settings_get(organization=organization).company_connection
        )
        if company is None:
            return _finish(
                organization,
                repost,
                Repost.Status.FAILED,
                _(
                    "No company account is chosen for reposts. Choose one in the sharing "
                    "settings; the advocate's post was not reposted."
                ),
            )
        if repost.publication_id is None:
            link_url = ""
            if share.content.url:
                link_url = tracked_link_url(
                    tracked_link_create(organization=organization, share=share)
                )
            repost.connection = company
            repost.publication = publication_create(
                organization=organization,
                connection=company,
                text=repost_text(organization=organization, share=share),
                link_url=link_url,
                link_title=link_card_title(share.content),
                link_description=share.content.preview_description,
                idempotency_key=f"repost:{repost_request_id}",
            )
            repost.save(update_fields=["connection", "publication", "updated_at"])
    # Outside the row lock: the network call commits its own states.
    publication = repost.publication
    assert publication is not None
    if publication.status == Publication.Status.PENDING:
        publication = publication_execute(organization=organization, publication=publication)
    elif publication.status in (Publication.Status.PUBLISHING, Publication.Status.UNKNOWN):
        publication = publication_reconcile(organization=organization, publication=publication)
    if publication.status == Publication.Status.PUBLISHED:
        return _finish(organization, repost, Repost.Status.PUBLISHED)
    if publication.status == Publication.Status.FAILED:
        return _finish(organization, repost, Repost.Status.FAILED, publication.error)
    return repost  # pending or being checked: the task comes back later


def repost_give_up(*, organization: Organization, repost: Repost) -> Repost:
    """After the task's last retry: tell admins instead of trying forever."""
    if repost.status != Repost.Status.PENDING:
        return repost
    publication = repost.publication
    reason = (publication.error if publication else "") or _(
        "The company account's network did not accept the repost in time."
    )
    return _finish(organization, repost, Repost.Status.FAILED, reason)


def failed_repost_list(*, organization: Organization) -> QuerySet[Repost]:
    """Reposts that did not happen, for the failed-shares page."""
    return (
        Repost.objects.for_org(organization)
        .filter(status=Repost.Status.FAILED)
        .select_related("share__membership__user", "connection")
        .order_by("-updated_at")
    )
