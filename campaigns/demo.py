"""Demo campaigns and shares, in the organization's language. Idempotent.

Runs after the content library's demo (settings.PRODUCT_APPS order), so it shares
the organization's approved items; with none, it only sets the sharing settings."""

from __future__ import annotations

import datetime

from django.utils import timezone

from advocacy.tenancy.services import onboarding_step_complete
from content_library.models import ContentItem

from .links import tracked_link_create
from .models import Campaign, CampaignItem, CampaignSettings, Share

TEXT = {
    "en": {
        "campaign": (
            "Hiring week",
            "hiring-week",
            "We are hiring across Sales and Engineering. Share the roles with "
            "your network: every click brings us closer to 500 visits.",
        ),
        "share": "We are growing! If you know someone great, send them this.",
        "failed": "The network refused the post: the account needs reconnecting.",
    },
    "id": {
        "campaign": (
            "Pekan Rekrutmen",
            "pekan-rekrutmen",
            "Kami membuka lowongan di Penjualan dan Teknologi. Bagikan "
            "ke jaringan Anda: setiap klik membawa kita lebih dekat ke 500 kunjungan.",
        ),
        "share": "Tim kami sedang berkembang! Kalau Anda kenal orang yang cocok, bagikan ini.",
        "failed": "Jaringan menolak postingan: akun perlu dihubungkan ulang.",
    },
}


def seed(*, organization, people) -> None:
    onboarding_step_complete(
        organization=organization, step="launch_campaign"
    )  # the demo has done this
    text = TEXT.get(organization.default_language, TEXT["en"])
    CampaignSettings.objects.get_or_create(
        organization=organization, defaults={"daily_share_limit": 5}
    )
    items = list(
        ContentItem.objects.for_org(organization).shareable().order_by("-is_featured", "id")[:3]
    )
    if not items:
        return
    now = timezone.now()
    name, slug, description = text["campaign"]
    campaign, _created = Campaign.objects.get_or_create(
        organization=organization,
        slug=slug,
        defaults={
            "name": name,
            "description": description,
            "goal_clicks": 500,
            "status": Campaign.Status.ACTIVE,
            "starts_at": now - datetime.timedelta(days=3),
            "ends_at": now + datetime.timedelta(days=11),
            # Already announced, so seeding never sends email or posts to Slack.
            "launched_at": now - datetime.timedelta(days=3),
            "announced_at": now - datetime.timedelta(days=3),
            "created_by": people["admin"].user,
        },
    )
    for position, item in enumerate(items[:2]):
        CampaignItem.objects.get_or_create(
            organization=organization,
            campaign=campaign,
            content=item,
            defaults={"position": position},
        )
    by_hand = [
        ("employee1", items[0], "linkedin", 37),
        ("employee2", items[0], "whatsapp", 12),
        ("employee3", items[-1], "x", 5),
        ("manager", items[0], "copy", 8),
    ]
    for local, item, channel, clicks in by_hand:
        member = people.get(local)
        if member is None:
            continue
        share, _created = Share.objects.get_or_create(
            organization=organization,
            membership=member,
            content=item,
            channel=channel,
            status=Share.Status.SHARED_BY_HAND,
            defaults={
                "text": text["share"],
                "published_at": now - datetime.timedelta(days=2),
                "clicks": clicks,
                "campaign": campaign if item in items[:2] else None,
            },
        )
        if item.url:
            tracked_link_create(organization=organization, share=share)
    failed_member = people.get("employee4")
    if failed_member is not None:
        Share.objects.get_or_create(
            organization=organization,
            membership=failed_member,
            content=items[0],
            channel="linkedin",
            status=Share.Status.FAILED,
            defaults={"text": text["share"], "error": text["failed"], "campaign": campaign},
        )
