"""Telling a campaign's audience it has started: by email, in Slack and in Microsoft Teams."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advocacy.tenancy.models import Organization

from ..models import Campaign
from ..selectors import campaign_audience_members, campaign_items, campaign_settings_get
from ..webhooks import WebhookError, webhook_post

log = logging.getLogger(__name__)


def _links(organization: Organization, campaign: Campaign) -> tuple[str, list[dict]]:
    base = settings.SITE_URL
    page = base + reverse(
        "campaigns:campaign_detail", kwargs={"org_slug": organization.slug, "pk": campaign.pk}
    )
    items = [
        {
            "title": item.display_title,
            "url": base
            + reverse(
                "campaigns:compose", kwargs={"org_slug": organization.slug, "content_id": item.pk}
            ),
        }
        for item in campaign_items(organization=organization, campaign=campaign)
    ]
    return page, items


def slack_payload(*, campaign: Campaign, page_url: str, items: list[dict]) -> dict:
    headline = _("New campaign: %(name)s") % {"name": campaign.name}
    lines = [f"• <{item['url']}|{item['title']}>" for item in items]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": headline[:150]}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": campaign.description or _("Help us spread the word."),
            },
        },
    ]
    if lines:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:3000]}}
        )
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": _("Share now")},
                    "url": page_url,
                }
            ],
        }
    )
    return {"text": f"{headline} {page_url}", "blocks": blocks}


def teams_payload(*, campaign: Campaign, page_url: str, items: list[dict]) -> dict:
    """A MessageCard, which Teams incoming webhooks (and Workflows' webhook trigger) accept."""
    headline = _("New campaign: %(name)s") % {"name": campaign.name}
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": headline,
        "themeColor": "0D6EFD",
        "title": headline,
        "text": campaign.description or _("Help us spread the word."),
        "sections": [
            {
                "facts": [
                    {"name": item["title"], "value": f"[{_('Share')}]({item['url']})"}
                    for item in items
                ]
            }
        ],
        "potentialAction": [
            {
                "@type": "OpenUri",
                "name": _("Share now"),
                "targets": [{"os": "default", "uri": page_url}],
            }
        ],
    }


def _send_emails(
    *, organization: Organization, campaign: Campaign, page_url: str, items: list[dict]
) -> int:
    messages = []
    for member in campaign_audience_members(organization=organization, campaign=campaign):
        user = member.user
        if not user.email:
            continue
        language = getattr(user, "preferred_language", "") or organization.default_language
        with translation.override(language):
            context = {
                "organization": organization,
                "campaign": campaign,
                "member": member,
                "page_url": page_url,
                "items": items,
            }
            subject = _("%(organization)s: new campaign “%(name)s”") % {
                "organization": organization.name,
                "name": campaign.name,
            }
            text = render_to_string("campaigns/email/campaign_announced.txt", context)
            html = render_to_string("campaigns/email/campaign_announced.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def campaign_announce(*, organization: Organization, campaign: Campaign) -> dict[str, object]:
    """Announce once: the claim on `announced_at` comes first, so a rerun never repeats it."""
    claimed = (
        Campaign.objects.for_org(organization)
        .filter(pk=campaign.pk, status=Campaign.Status.ACTIVE, announced_at__isnull=True)
        .update(announced_at=timezone.now())
    )
    if not claimed:
        return {"announced": False}
    campaign.refresh_from_db()
    sharing_settings = campaign_settings_get(organization=organization)
    page_url, items = _links(organization, campaign)
    result: dict[str, object] = {"announced": True, "emails": 0, "slack": None, "teams": None}
    if sharing_settings.announce_by_email:
        result["emails"] = _send_emails(
            organization=organization, campaign=campaign, page_url=page_url, items=items
        )
    # Channel posts speak the organization's language: a channel has no single reader.
    with translation.override(organization.default_language):
        for key, url, build in (
            ("slack", sharing_settings.slack_webhook_url, slack_payload),
            ("teams", sharing_settings.teams_webhook_url, teams_payload),
        ):
            if not url:
                continue
            try:
                result[key] = webhook_post(
                    url, build(campaign=campaign, page_url=page_url, items=items)
                )
            except WebhookError as exc:
                # A broken webhook must not stop the emails or the other channel; admins see it in the log.
                log.warning("campaign %s: %s webhook failed: %s", campaign.pk, key, exc)
                result[key] = str(exc)
    return result
