"""Demo analytics: six months of shares, clicks, snapshots, comments and conversions,
so every chart means something on first run (`manage.py seed_demo`).

Content and campaigns come from the other apps' demo data when it exists and are
made through their services otherwise. The history itself (shares in the past,
their tracked links, clicks, snapshots, comments, conversions) is inserted in
bulk, deterministically from the organization's slug, and the rollups are then
rebuilt from it. Idempotent: an organization that already has demo clicks is
left alone.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
from decimal import Decimal

from django.utils import timezone

from advocacy.tenancy.models import Membership, Organization
from analytics.engagement import sentiment
from analytics.engagement.snapshots import comment_key
from analytics.models import ClickEvent, Comment, Conversion, MetricSnapshot, PollSchedule
from analytics.rollups.rebuild import rollups_rebuild
from analytics.selectors import analytics_settings_get
from campaigns.models import Campaign, CampaignItem, Share, TrackedLink
from content_library.models import ContentItem

DAYS = 180
DEMO_PREFIX = "demo"

CONTENT = {
    "en": [
        ("We are hiring engineers in Boston", "Careers"),
        ("Our 2026 sustainability report", "Sustainability"),
        ("Customer story: how Initech cut costs by 30%", "Customers"),
        ("Inside our new design studio", "Culture"),
        ("Product launch: Acme Cloud 3.0", "Product"),
        ("Five lessons from our hackathon", "Culture"),
        ("Acme named a best place to work", "Careers"),
        ("Webinar: the future of supply chains", "Product"),
    ],
    "id": [
        ("Kami membuka lowongan insinyur di Bandung", "Karier"),
        ("Laporan keberlanjutan 2026", "Keberlanjutan"),
        ("Kisah pelanggan: efisiensi naik 30%", "Pelanggan"),
        ("Mengintip studio desain baru kami", "Budaya"),
        ("Peluncuran produk: Globex Pay", "Produk"),
        ("Lima pelajaran dari hackathon kami", "Budaya"),
        ("Globex meraih penghargaan tempat kerja terbaik", "Karier"),
        ("Webinar: masa depan UMKM digital", "Produk"),
    ],
}
# The pictures of that content, in the same order (content_library/demo_assets).
PICTURES = ["hiring", "report", "results", "office", "cloud", "engineers", "award", "network"]
CAMPAIGNS = {
    "en": [
        ("Spring hiring push", 400),
        ("Acme Cloud 3.0 launch", 1200),
        ("Sustainability week", 300),
    ],
    "id": [
        ("Rekrutmen kuartal kedua", 400),
        ("Peluncuran Globex Pay", 1200),
        ("Pekan keberlanjutan", 300),
    ],
}
COMMENTS = {
    "en": [
        "Great read, thanks for sharing!",
        "Congrats to the whole team!",
        "Love this, very inspiring.",
        "Not convinced, feels like marketing.",
        "Is there a recording?",
        "Super helpful, bookmarked.",
        "Disappointing, I expected more detail.",
        "Proud to see this!",
    ],
    "id": [
        "Keren banget, selamat untuk timnya!",
        "Sangat bermanfaat, terima kasih sudah berbagi.",
        "Mantap, sukses terus!",
        "Kurang jelas, agak mengecewakan.",
        "Apakah ada rekamannya?",
        "Bangga melihat ini!",
        "Informasinya bagus sekali.",
        "Tidak setuju, datanya menyesatkan.",
    ],
}
NETWORKS = ["linkedin", "linkedin", "linkedin", "x", "facebook", "bluesky", "copy", "whatsapp"]
HUMAN_SHARE = 0.85


def _content(
    organization: Organization, people: dict[str, Membership], language: str
) -> list[ContentItem]:
    existing = list(
        ContentItem.objects.for_org(organization).filter(status=ContentItem.Status.APPROVED)[:12]
    )
    if len(existing) >= 4:
        return existing
    from content_library.demo import picture
    from content_library.services import (
        content_approve,
        content_create,
        content_submit,
        topic_get_or_create,
    )

    curator, admin = people.get("curator"), people.get("admin")
    items = []
    for index, (title, topic) in enumerate(CONTENT[language]):
        item = ContentItem.objects.for_org(organization).filter(title=title).first()
        if item is None:
            item = content_create(
                organization=organization,
                actor=curator,
                data={
                    "title": title,
                    "url": f"https://www.{organization.slug}.example/news/{index + 1}",
                    "language": language,
                    "preview_title": title,
                    "image": picture(PICTURES[index % len(PICTURES)]),
                },
                topics=[topic_get_or_create(organization=organization, name=topic)],
            )
        if item.status == ContentItem.Status.DRAFT and curator and admin:
            item = content_submit(organization=organization, actor=curator, content=item)
            item = content_approve(organization=organization, actor=admin, content=item)
        items.append(item)
    return items


def _campaigns(
    organization: Organization, people: dict[str, Membership], language: str
) -> list[Campaign]:
    """The campaigns demo data made, plus three finished ones across the six months
    (made the way campaigns' own demo makes its campaign: already announced, so
    seeding sends no email)."""
    from django.utils.text import slugify

    now = timezone.now()
    for index, (name, goal) in enumerate(CAMPAIGNS[language]):
        starts = now - datetime.timedelta(days=DAYS - 55 * index)
        Campaign.objects.get_or_create(
            organization=organization,
            slug=slugify(name)[:80],
            defaults={
                "name": name,
                "goal_clicks": goal,
                "status": Campaign.Status.ENDED,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(days=40),
                "launched_at": starts,
                "announced_at": starts,
                "created_by": people["admin"].user,
            },
        )
    return list(
        Campaign.objects.for_org(organization).filter(
            starts_at__isnull=False, ends_at__isnull=False
        )
    )


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def seed(*, organization: Organization, people: dict[str, Membership]) -> None:
    if ClickEvent.objects.for_org(organization).filter(click_id__startswith=DEMO_PREFIX).exists():
        return
    rng = random.Random(f"chorus-demo-{organization.slug}")
    language = "id" if organization.default_language == "id" else "en"
    analytics_settings_get(organization=organization)
    items = _content(organization, people, language)
    campaigns = _campaigns(organization, people, language)
    advocates = [m for key, m in people.items() if key not in ("owner",)]
    # Some advocates share a lot, some a little, a few hardly at all: a real program.
    zeal = {m.pk: rng.choice([0.02, 0.05, 0.1, 0.2, 0.35]) for m in advocates}
    now = timezone.now()
    start = now - datetime.timedelta(days=DAYS)

    shares: list[Share] = []
    # One by-hand share per advocate, item and channel (campaigns' demo may have made some).
    by_hand = set(
        Share.objects.for_org(organization)
        .filter(status=Share.Status.SHARED_BY_HAND)
        .values_list("membership_id", "content_id", "channel")
    )
    for day in range(DAYS):
        moment = start + datetime.timedelta(
            days=day, hours=rng.randint(7, 19), minutes=rng.randint(0, 59)
        )
        for member in advocates:
            # The program grows: later months see more sharing.
            if rng.random() < zeal[member.pk] * (0.5 + day / DAYS):
                channel, content = rng.choice(NETWORKS), rng.choice(items)
                if channel in ("copy", "whatsapp"):
                    if (member.pk, content.pk, channel) in by_hand:
                        channel = "linkedin"
                    by_hand.add((member.pk, content.pk, channel))
                campaign = next(
                    (
                        c
                        for c in campaigns
                        if c.starts_at and c.ends_at and c.starts_at <= moment <= c.ends_at
                    ),
                    None,
                )
                shares.append(
                    Share(
                        organization=organization,
                        membership=member,
                        content=content,
                        campaign=campaign,
                        channel=channel,
                        text=rng.choice(COMMENTS[language][:3]),
                        status=Share.Status.PUBLISHED
                        if channel not in ("copy", "whatsapp")
                        else Share.Status.SHARED_BY_HAND,
                        published_at=moment,
                        created_at=moment,
                        status_changed_at=moment,
                        followers_at_share=rng.randint(150, 4000)
                        if channel not in ("copy", "whatsapp")
                        else None,
                    )
                )
    Share.objects.bulk_create(shares, batch_size=500)
    # A finished campaign lists what it asked people to share: the items shared during it.
    ended = {c.pk for c in campaigns if c.status == Campaign.Status.ENDED}
    shared_in: dict[int, list[int]] = {}
    for share in shares:
        if share.campaign_id in ended and share.content_id not in shared_in.setdefault(
            share.campaign_id, []
        ):
            shared_in[share.campaign_id].append(share.content_id)
    CampaignItem.objects.bulk_create(
        [
            CampaignItem(
                organization=organization,
                campaign_id=campaign_id,
                content_id=content_id,
                position=n,
            )
            for campaign_id, content_ids in shared_in.items()
            for n, content_id in enumerate(content_ids)
        ],
        ignore_conflicts=True,
    )
    shares = list(
        Share.objects.for_org(organization).filter(pk__in=[s.pk for s in shares]).order_by("pk")
    )

    links = [
        TrackedLink(
            organization=organization,
            share=share,
            code=DEMO_PREFIX[0] + secrets.token_hex(5),
            target_url=f"https://www.{organization.slug}.example/news?utm_medium=employee_advocacy",
            created_at=share.published_at,
        )
        for share in shares
    ]
    TrackedLink.objects.bulk_create(links, batch_size=500)

    clicks, snapshots, comments, schedules, click_ids = [], [], [], [], []
    for share, link in zip(shares, links, strict=True):
        audience = (share.followers_at_share or 600) / 1000
        count = int(rng.expovariate(1 / (12 * audience)) + rng.randint(0, 4))
        visitors = [_hex(rng, 32) for _ in range(max(1, count // 2 + 1))]
        seen_visits = set()
        for n in range(count):
            at = share.published_at + datetime.timedelta(hours=rng.expovariate(1 / 20))
            if at > now:
                continue
            bot = rng.random() > HUMAN_SHARE
            visitor = rng.choice(visitors)
            visit = (
                ""
                if bot
                else hashlib.blake2b(
                    f"{link.code}{visitor}{int(at.timestamp()) // 3600}".encode(), digest_size=8
                ).hexdigest()
            )
            click_id = f"{DEMO_PREFIX}{share.pk:07d}{n:05d}"
            clicks.append(
                ClickEvent(
                    organization=organization,
                    link=link,
                    share=share,
                    click_id=click_id,
                    clicked_at=at,
                    visitor_hash=visitor,
                    visit_key=visit,
                    is_bot=bot,
                    is_unique=bool(visit) and visit not in seen_visits,
                    referer="https://www.linkedin.com/" if share.channel == "linkedin" else "",
                )
            )
            seen_visits.add(visit)
            if not bot:
                click_ids.append((click_id, share, at))
        if share.status != Share.Status.PUBLISHED:
            schedules.append(
                PollSchedule(
                    organization=organization,
                    share=share,
                    network=share.channel,
                    published_at=share.published_at,
                    state=PollSchedule.State.NOT_POLLED,
                )
            )
            continue
        ceiling = int((share.followers_at_share or 500) * rng.uniform(0.8, 2.5))
        counted = {}
        for slot, hours in enumerate((1, 6, 24, 72, 24 * 7, 24 * 30)):
            taken = share.published_at + datetime.timedelta(hours=hours)
            if taken > now:
                break
            grown = 1 - 0.6 ** (slot + 1)
            impressions = int(ceiling * grown)
            counted = {
                "impressions": impressions if share.channel != "bluesky" else None,
                "reach": int(impressions * 0.7)
                if share.channel in ("linkedin", "facebook")
                else None,
                "reactions": int(impressions * 0.03),
                "comments": int(impressions * 0.004),
                "reposts": int(impressions * 0.002),
                "clicks": None,
            }
            snapshots.append(
                MetricSnapshot(
                    organization=organization, share=share, slot=slot, taken_at=taken, **counted
                )
            )
            if slot in (2, 4):
                for _ in range(rng.randint(0, 2)):
                    text = rng.choice(COMMENTS[language])
                    comments.append((share, text, taken))
        schedules.append(
            PollSchedule(
                organization=organization,
                share=share,
                network=share.channel,
                published_at=share.published_at,
                state=PollSchedule.State.DONE,
                slot=6,
                last_polled_at=share.published_at + datetime.timedelta(days=30),
                counted={k: v for k, v in counted.items() if v is not None},
            )
        )
        Share.objects.for_org(organization).filter(pk=share.pk).update(
            impressions=counted.get("impressions"),
            reactions=counted.get("reactions"),
            comments=counted.get("comments"),
            reposts=counted.get("reposts"),
        )
    ClickEvent.objects.bulk_create(clicks, batch_size=1000)
    MetricSnapshot.objects.bulk_create(snapshots, batch_size=1000)
    PollSchedule.objects.bulk_create(schedules, batch_size=1000)
    occurrences: dict[tuple, int] = {}
    comment_rows = []
    for share, text, taken in comments:
        key = (share.pk, comment_key(text))
        occurrences[key] = occurrences.get(key, 0) + 1
        guessed = sentiment.guess_language(text)
        comment_rows.append(
            Comment(
                organization=organization,
                share=share,
                text_hash=key[1],
                occurrence=occurrences[key],
                text=text,
                language=guessed,
                sentiment=sentiment.analyze(text, guessed),
                seen_at=taken,
            )
        )
    Comment.objects.bulk_create(comment_rows, batch_size=1000)

    clicked = {
        c.click_id: c.pk
        for c in ClickEvent.objects.for_org(organization).filter(
            click_id__in=[c[0] for c in click_ids]
        )
    }
    conversions = []
    for click_id, share, at in click_ids:
        if rng.random() < 0.06:
            kind = rng.choice(["lead", "lead", "signup", "sale"])
            conversions.append(
                Conversion(
                    organization=organization,
                    click_event_id=clicked[click_id],
                    click_id=click_id,
                    share=share,
                    membership_id=share.membership_id,
                    campaign_id=share.campaign_id,
                    content_id=share.content_id,
                    network=share.channel,
                    kind=kind,
                    source=Conversion.Source.API,
                    value=Decimal(rng.choice([0, 0, 49, 99, 250]))
                    if kind == "sale"
                    else Decimal("0"),
                    currency=organization.currency,
                    occurred_at=at + datetime.timedelta(minutes=rng.randint(2, 600)),
                )
            )
    Conversion.objects.bulk_create(
        [c for c in conversions if c.occurred_at <= now], batch_size=1000
    )
    rollups_rebuild(organization=organization)
