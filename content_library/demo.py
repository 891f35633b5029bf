"""Demo library: approved items with captions per network, a review queue, a suggestion,
guidelines v1 and one course with lessons and a quiz, in the organization's language.
Every item has a picture (drawn by content_library/demo_assets/draw.py, committed beside
it), stored through the media storage like an upload, with its thumbnail.
Idempotent: items are found again by title; an item without any picture gets its own."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from advocacy.tenancy.services import onboarding_step_complete

from . import media
from .models import (
    Caption,
    ContentEvent,
    ContentItem,
    ContentTopic,
    Course,
    GuidelinesVersion,
    Lesson,
    LibrarySettings,
    QuizQuestion,
    Suggestion,
    Topic,
)
from .sanitize import clean_html

A, IMG, V, D, T = "article", "image", "video", "document", "text"

# (kind, title, description, url, topic, status, featured, captions {network: text})
EN_ITEMS = [
    (
        A,
        "Acme opens its first solar-powered plant",
        "Our Ohio plant now runs on 100% renewable energy.",
        "https://news.acme.example/solar-plant",
        "Sustainability",
        "approved",
        True,
        {
            "linkedin": "Proud to share that our Ohio plant now runs entirely on solar power. A big step towards our 2030 climate goals. https://news.acme.example/solar-plant",
            "x": "Our Ohio plant now runs on 100% solar ☀️ https://news.acme.example/solar-plant #sustainability",
            "": "Big news from Acme: our first solar-powered plant is live!",
        },
    ),
    (
        A,
        "We're hiring 40 engineers in Boston",
        "Join the team building the next generation of Acme products.",
        "https://careers.acme.example/boston",
        "Careers",
        "approved",
        True,
        {
            "linkedin": "My team is hiring! We're looking for 40 engineers in Boston. If you love hard problems and good people, let's talk. https://careers.acme.example/boston #hiring",
            "x": "We're hiring 40 engineers in Boston 🚀 https://careers.acme.example/boston #hiring",
            "mastodon": "Acme is hiring engineers in Boston. Remote-friendly, great team: https://careers.acme.example/boston",
        },
    ),
    (
        A,
        "Q3 results: record customer satisfaction",
        "Customer satisfaction reached 94%, our best quarter yet.",
        "https://investors.acme.example/q3",
        "Company news",
        "approved",
        False,
        {
            "linkedin": "Our customers gave us a 94% satisfaction score this quarter, the best in our history. Thank you to everyone who made it happen.",
            "": "Record customer satisfaction this quarter at Acme!",
        },
    ),
    (
        IMG,
        "Volunteer day at the Boston food bank",
        "120 Acme colleagues packed 8,000 meals.",
        "",
        "Community",
        "approved",
        False,
        {
            "linkedin": "120 of us spent Saturday at the Boston food bank and packed 8,000 meals. Days like this remind me why I love working here.",
            "facebook": "What a day! 8,000 meals packed with my Acme colleagues at the Boston food bank. ❤️",
            "bluesky": "8,000 meals packed with 120 colleagues at the Boston food bank today.",
        },
    ),
    (
        V,
        "Behind the scenes: how we design for accessibility",
        "A five-minute video with our design team.",
        "https://video.acme.example/accessibility",
        "Product",
        "approved",
        False,
        {
            "linkedin": "Accessibility is not a feature, it's how we build. Five minutes behind the scenes with our design team: https://video.acme.example/accessibility",
            "x": "How we design for accessibility, in 5 minutes: https://video.acme.example/accessibility #a11y",
        },
    ),
    (
        D,
        "2025 Sustainability report",
        "Our full report on emissions, water and waste.",
        "https://acme.example/reports/sustainability-2025.pdf",
        "Sustainability",
        "approved",
        False,
        {
            "linkedin": "Our 2025 Sustainability report is out: emissions down 18%, water use down 12%. Read the full report: https://acme.example/reports/sustainability-2025.pdf"
        },
    ),
    (
        T,
        "Thank you to our customers",
        "",
        "",
        "Company news",
        "approved",
        False,
        {
            "linkedin": "A quick thank you to every customer who trusted us this year. We don't take it for granted.",
            "x": "Thank you to every customer who trusted us this year. 🙏",
            "": "Grateful for our customers this year.",
        },
    ),
    (
        A,
        "Acme named a Top Workplace 2025",
        "Recognized for culture, flexibility and growth.",
        "https://news.acme.example/top-workplace",
        "Careers",
        "approved",
        False,
        {
            "linkedin": "Acme has been named a Top Workplace 2025! Proud of the culture we build together every day. https://news.acme.example/top-workplace",
            "facebook": "We did it! Acme is a Top Workplace 2025 🎉",
        },
    ),
    (
        A,
        "New product: Acme Roadrunner 2",
        "Twice as fast, half the energy.",
        "https://acme.example/roadrunner-2",
        "Product",
        "approved",
        False,
        {
            "linkedin": "Meet Roadrunner 2: twice as fast, half the energy. I got to test it early, and it's impressive. https://acme.example/roadrunner-2",
            "x": "Roadrunner 2 is here: 2x faster, 50% less energy https://acme.example/roadrunner-2",
            "bluesky": "Roadrunner 2 launched today. Twice as fast, half the energy.",
        },
    ),
    (
        IMG,
        "Our new Boston office",
        "Photos from the opening week.",
        "",
        "Company news",
        "approved",
        False,
        {
            "linkedin": "First week in our new Boston office. Natural light, quiet rooms, and great coffee.",
            "": "Loving our new Boston office!",
        },
    ),
    (
        A,
        "Webinar: the future of supply chains",
        "Join our COO on March 12.",
        "https://events.acme.example/supply-chain-webinar",
        "Events",
        "in_review",
        False,
        {
            "linkedin": "Join our COO on March 12 for a conversation about the future of supply chains. Free registration: https://events.acme.example/supply-chain-webinar"
        },
    ),
    (
        A,
        "Interview: our CEO on remote work",
        "A conversation with Oscar Owner.",
        "https://blog.acme.example/ceo-remote-work",
        "Company news",
        "draft",
        False,
        {"": "Our CEO on how we work remotely, and what we learned."},
    ),
    (
        T,
        "Happy Engineers' Day",
        "",
        "",
        "Careers",
        "approved",
        False,
        {
            "x": "Happy Engineers' Day to the people who build Acme every day! 🛠️",
            "mastodon": "Happy Engineers' Day to my colleagues who build Acme every day.",
        },
    ),
]

ID_ITEMS = [
    (
        A,
        "Globex membuka pabrik tenaga surya pertama di Jawa Timur",
        "Pabrik Surabaya kini 100% memakai energi terbarukan.",
        "https://berita.globex.example/pabrik-surya",
        "Keberlanjutan",
        "approved",
        True,
        {
            "linkedin": "Bangga sekali: pabrik kami di Surabaya kini sepenuhnya memakai tenaga surya. Langkah besar menuju target iklim 2030. https://berita.globex.example/pabrik-surya",
            "x": "Pabrik Surabaya kini 100% tenaga surya ☀️ https://berita.globex.example/pabrik-surya #keberlanjutan",
            "": "Kabar baik dari Globex: pabrik tenaga surya pertama kami sudah beroperasi!",
        },
    ),
    (
        A,
        "Kami membuka 30 lowongan insinyur di Bandung",
        "Bergabunglah dengan tim yang membangun produk Globex berikutnya.",
        "https://karier.globex.example/bandung",
        "Karier",
        "approved",
        True,
        {
            "linkedin": "Tim kami sedang merekrut! Ada 30 posisi insinyur di Bandung. Kalau kamu suka tantangan dan rekan kerja yang hebat, yuk ngobrol. https://karier.globex.example/bandung #lowongan",
            "x": "Globex merekrut 30 insinyur di Bandung 🚀 https://karier.globex.example/bandung #lowongan",
        },
    ),
    (
        A,
        "Hasil kuartal III: kepuasan pelanggan tertinggi",
        "Kepuasan pelanggan mencapai 93%.",
        "https://investor.globex.example/kuartal-3",
        "Berita perusahaan",
        "approved",
        False,
        {
            "linkedin": "Pelanggan memberi kami skor kepuasan 93% kuartal ini, tertinggi sepanjang sejarah. Terima kasih untuk semua yang mewujudkannya."
        },
    ),
    (
        IMG,
        "Aksi bersih pantai di Kuta",
        "150 karyawan Globex mengumpulkan 2 ton sampah.",
        "",
        "Komunitas",
        "approved",
        False,
        {
            "linkedin": "Sabtu lalu 150 rekan Globex membersihkan Pantai Kuta dan mengumpulkan 2 ton sampah. Hari seperti ini membuat saya bangga bekerja di sini.",
            "facebook": "Seru banget! 2 ton sampah terkumpul bersama rekan-rekan Globex di Pantai Kuta 🌊",
        },
    ),
    (
        V,
        "Di balik layar: cara kami merancang produk yang inklusif",
        "Video lima menit bersama tim desain.",
        "https://video.globex.example/inklusif",
        "Produk",
        "approved",
        False,
        {
            "linkedin": "Inklusivitas bukan fitur tambahan, tetapi cara kami membangun produk. Lima menit di balik layar bersama tim desain: https://video.globex.example/inklusif"
        },
    ),
    (
        D,
        "Laporan Keberlanjutan 2025",
        "Laporan lengkap tentang emisi, air dan limbah.",
        "https://globex.example/laporan/keberlanjutan-2025.pdf",
        "Keberlanjutan",
        "approved",
        False,
        {
            "linkedin": "Laporan Keberlanjutan 2025 kami sudah terbit: emisi turun 18%, penggunaan air turun 12%. Baca selengkapnya: https://globex.example/laporan/keberlanjutan-2025.pdf"
        },
    ),
    (
        T,
        "Terima kasih kepada pelanggan kami",
        "",
        "",
        "Berita perusahaan",
        "approved",
        False,
        {
            "linkedin": "Terima kasih untuk setiap pelanggan yang memercayai kami tahun ini. Kepercayaan Anda sangat berarti.",
            "x": "Terima kasih untuk setiap pelanggan yang memercayai kami tahun ini 🙏",
        },
    ),
    (
        A,
        "Globex meraih penghargaan Tempat Kerja Terbaik 2025",
        "Diakui karena budaya, fleksibilitas dan pengembangan karier.",
        "https://berita.globex.example/tempat-kerja-terbaik",
        "Karier",
        "approved",
        False,
        {
            "linkedin": "Globex meraih penghargaan Tempat Kerja Terbaik 2025! Bangga dengan budaya yang kita bangun bersama. https://berita.globex.example/tempat-kerja-terbaik",
            "facebook": "Kita berhasil! Globex jadi Tempat Kerja Terbaik 2025 🎉",
        },
    ),
    (
        A,
        "Produk baru: Globex Nusantara Cloud",
        "Layanan cloud dengan pusat data di Jakarta.",
        "https://globex.example/nusantara-cloud",
        "Produk",
        "approved",
        False,
        {
            "linkedin": "Kenalkan Nusantara Cloud: layanan cloud dengan pusat data di Jakarta, data pelanggan tetap di Indonesia. https://globex.example/nusantara-cloud",
            "x": "Nusantara Cloud resmi diluncurkan, pusat data di Jakarta 🇮🇩 https://globex.example/nusantara-cloud",
        },
    ),
    (
        IMG,
        "Kantor baru kami di Surabaya",
        "Foto-foto minggu pertama.",
        "",
        "Berita perusahaan",
        "approved",
        False,
        {
            "linkedin": "Minggu pertama di kantor baru Surabaya. Terang, nyaman, dan kopinya enak.",
            "": "Senang sekali dengan kantor baru kami di Surabaya!",
        },
    ),
    (
        A,
        "Webinar: masa depan rantai pasok",
        "Bersama COO kami pada 12 Maret.",
        "https://acara.globex.example/webinar-rantai-pasok",
        "Acara",
        "in_review",
        False,
        {
            "linkedin": "Ikuti webinar bersama COO kami pada 12 Maret tentang masa depan rantai pasok. Gratis: https://acara.globex.example/webinar-rantai-pasok"
        },
    ),
    (
        A,
        "Wawancara: CEO kami tentang kerja jarak jauh",
        "Percakapan tentang cara kami bekerja.",
        "https://blog.globex.example/ceo-kerja-jarak-jauh",
        "Berita perusahaan",
        "draft",
        False,
        {"": "CEO kami bercerita tentang kerja jarak jauh dan pelajaran yang kami petik."},
    ),
    (
        T,
        "Selamat Hari Kartini",
        "",
        "",
        "Komunitas",
        "approved",
        False,
        {
            "linkedin": "Selamat Hari Kartini untuk seluruh perempuan hebat di Globex yang menginspirasi kami setiap hari.",
            "x": "Selamat Hari Kartini untuk perempuan-perempuan hebat di Globex! 🌸",
        },
    ),
]

ASSETS = Path(__file__).resolve().parent / "demo_assets"

# Each item's picture, by title: a theme drawn in demo_assets/<theme>.jpg.
PICTURES = {
    "Acme opens its first solar-powered plant": "solar",
    "We're hiring 40 engineers in Boston": "hiring",
    "Q3 results: record customer satisfaction": "results",
    "Volunteer day at the Boston food bank": "volunteer",
    "Behind the scenes: how we design for accessibility": "accessibility",
    "2025 Sustainability report": "report",
    "Thank you to our customers": "thanks",
    "Acme named a Top Workplace 2025": "award",
    "New product: Acme Roadrunner 2": "speed",
    "Our new Boston office": "office",
    "Webinar: the future of supply chains": "network",
    "Interview: our CEO on remote work": "interview",
    "Happy Engineers' Day": "engineers",
    "Globex membuka pabrik tenaga surya pertama di Jawa Timur": "solar",
    "Kami membuka 30 lowongan insinyur di Bandung": "hiring",
    "Hasil kuartal III: kepuasan pelanggan tertinggi": "results",
    "Aksi bersih pantai di Kuta": "beach",
    "Di balik layar: cara kami merancang produk yang inklusif": "accessibility",
    "Laporan Keberlanjutan 2025": "report",
    "Terima kasih kepada pelanggan kami": "thanks",
    "Globex meraih penghargaan Tempat Kerja Terbaik 2025": "award",
    "Produk baru: Globex Nusantara Cloud": "cloud",
    "Kantor baru kami di Surabaya": "office",
    "Webinar: masa depan rantai pasok": "network",
    "Wawancara: CEO kami tentang kerja jarak jauh": "interview",
    "Selamat Hari Kartini": "flower",
}
THEMES = sorted(set(PICTURES.values()))


def picture(theme: str) -> ContentFile:
    """A demo picture as an upload (a JPEG of demo_assets), for the image field."""
    return ContentFile((ASSETS / f"{theme}.jpg").read_bytes(), name=f"{theme}.jpg")


def _give_picture(item: ContentItem, theme: str) -> None:
    """Store the picture and its thumbnail through the media storage, as an upload is
    (the video's picture is its thumbnail); an item that shows a picture keeps it."""
    if item.image or item.thumbnail or item.preview_image_url:
        return
    upload = picture(theme)
    item.image.save(upload.name, upload, save=False)
    item.thumbnail.save(upload.name, media.make_thumbnail(upload), save=False)
    item.save(update_fields=["image", "thumbnail"])


GUIDELINES = {
    "en": (
        "Acme social media guidelines",
        """<h2>Share with pride, and with care</h2>
<ul><li><strong>Say you work here.</strong> Keep the #iworkforacme disclosure on posts about Acme.</li>
<li><strong>Speak for yourself.</strong> Make the caption your own; you are not the company's spokesperson.</li>
<li><strong>Keep secrets secret.</strong> No customer names, prices or roadmaps that are not public.</li>
<li><strong>Be kind.</strong> Don't argue with critics; send questions to the communications team.</li></ul>
<p>Questions? Write to <a href="mailto:comms@acme.example">comms@acme.example</a>.</p>""",
    ),
    "id": (
        "Pedoman media sosial Globex",
        """<h2>Berbagi dengan bangga, dan dengan hati-hati</h2>
<ul><li><strong>Sebutkan bahwa Anda bekerja di sini.</strong> Pertahankan tagar #timglobex pada unggahan tentang Globex.</li>
<li><strong>Bicaralah atas nama sendiri.</strong> Sesuaikan keterangan dengan gaya Anda; Anda bukan juru bicara perusahaan.</li>
<li><strong>Jaga kerahasiaan.</strong> Jangan sebut nama pelanggan, harga atau rencana produk yang belum diumumkan.</li>
<li><strong>Tetap santun.</strong> Jangan berdebat dengan pengkritik; teruskan pertanyaan ke tim komunikasi.</li></ul>
<p>Ada pertanyaan? Hubungi <a href="mailto:komunikasi@globex.example">komunikasi@globex.example</a>.</p>""",
    ),
}

COURSES = {
    "en": (
        "Employee advocacy 101",
        "Three short lessons on sharing well.",
        [
            (
                "Why your voice matters",
                "<p>Posts shared by employees reach up to <strong>8 times</strong> more people than the same post from the company page, and people trust them more.</p>",
                "https://video.acme.example/advocacy-101",
                [],
            ),
            (
                "Making a caption your own",
                "<p>Start from a suggested caption, then add one sentence only you could write: what you worked on, what you learned, why you care.</p>",
                "",
                [],
            ),
            (
                "Disclosure and confidentiality",
                "<p>Always say you work at Acme, keep the disclosure hashtag, and never share anything that is not public.</p>",
                "",
                [
                    (
                        "Must you say you work at Acme when you share company news?",
                        ["No, it is optional", "Yes, always", "Only on LinkedIn"],
                        1,
                    ),
                    (
                        "A customer's name is in an internal deck. May you post it?",
                        ["Yes, if it is a big customer", "No, not unless it is public"],
                        1,
                    ),
                ],
            ),
        ],
    ),
    "id": (
        "Dasar-dasar advokasi karyawan",
        "Tiga pelajaran singkat tentang cara berbagi yang baik.",
        [
            (
                "Mengapa suara Anda penting",
                "<p>Unggahan yang dibagikan karyawan menjangkau hingga <strong>8 kali</strong> lebih banyak orang daripada unggahan yang sama dari halaman perusahaan, dan lebih dipercaya.</p>",
                "https://video.globex.example/advokasi-101",
                [],
            ),
            (
                "Menjadikan keterangan milik Anda",
                "<p>Mulailah dari keterangan yang disarankan, lalu tambahkan satu kalimat yang hanya bisa Anda tulis: apa yang Anda kerjakan, apa yang Anda pelajari, mengapa Anda peduli.</p>",
                "",
                [],
            ),
            (
                "Pengungkapan dan kerahasiaan",
                "<p>Selalu sebutkan bahwa Anda bekerja di Globex, pertahankan tagar pengungkapan, dan jangan pernah membagikan hal yang belum dipublikasikan.</p>",
                "",
                [
                    (
                        "Haruskah Anda menyebutkan bahwa Anda bekerja di Globex saat membagikan berita perusahaan?",
                        ["Tidak, itu opsional", "Ya, selalu", "Hanya di LinkedIn"],
                        1,
                    ),
                    (
                        "Ada nama pelanggan di presentasi internal. Bolehkah Anda mengunggahnya?",
                        ["Boleh, kalau pelanggannya besar", "Tidak, kecuali sudah dipublikasikan"],
                        1,
                    ),
                ],
            ),
        ],
    ),
}


def seed(*, organization, people) -> None:
    onboarding_step_complete(
        organization=organization, step="add_content"
    )  # the demo has done this
    language = "id" if organization.default_language == "id" else "en"
    curator, admin = people.get("curator"), people.get("admin")
    disclosure = "#timglobex" if language == "id" else f"#iworkfor{organization.slug}"
    LibrarySettings.objects.get_or_create(
        organization=organization,
        defaults={
            "disclosure": disclosure,
            "disclosure_required": True,
            "banned_words": "guaranteed returns\ninsider"
            if language == "en"
            else "pasti untung\norang dalam",
        },
    )
    now = timezone.now()
    for index, (kind, title, description, url, topic_name, status, featured, captions) in enumerate(
        ID_ITEMS if language == "id" else EN_ITEMS
    ):
        topic, _ = Topic.objects.get_or_create(
            organization=organization, slug=slugify(topic_name), defaults={"name": topic_name}
        )
        item, created = ContentItem.objects.get_or_create(
            organization=organization,
            title=title,
            defaults={
                "kind": kind,
                "description": description,
                "url": url,
                "language": language,
                "status": status,
                "is_featured": featured,
                "created_by": curator.user if curator else None,
                "created_at": now - datetime.timedelta(days=index * 2 + 1),
                "preview_title": title if url else "",
                "preview_description": description if url else "",
                "preview_site_name": organization.name if url else "",
                "preview_status": ContentItem.PreviewStatus.FETCHED if url else "",
                "approved_by": admin if status == "approved" else None,
                "approved_at": now - datetime.timedelta(days=index * 2)
                if status == "approved"
                else None,
            },
        )
        _give_picture(item, PICTURES.get(title, THEMES[index % len(THEMES)]))
        if not created:
            continue
        ContentTopic.objects.create(organization=organization, content=item, topic=topic)
        for position, (network, text) in enumerate(captions.items()):
            Caption.objects.create(
                organization=organization,
                content=item,
                network=network,
                text=text,
                position=position,
            )
        ContentEvent.objects.create(
            organization=organization,
            content=item,
            actor=curator,
            action="created",
            to_status="draft",
        )
        if status in ("in_review", "approved"):
            ContentEvent.objects.create(
                organization=organization,
                content=item,
                actor=curator,
                action="submitted",
                from_status="draft",
                to_status="in_review",
            )
        if status == "approved":
            ContentEvent.objects.create(
                organization=organization,
                content=item,
                actor=admin,
                action="approved",
                from_status="in_review",
                to_status="approved",
            )
    if "employee1" in people:
        Suggestion.objects.get_or_create(
            organization=organization,
            suggested_by=people["employee1"],
            url="https://www.example.com/industry-report-2025",
            defaults={
                "comment": "Laporan industri ini menyebut kita sebagai pemimpin pasar!"
                if language == "id"
                else "This industry report names us a market leader!"
            },
        )
    title, body = GUIDELINES[language]
    GuidelinesVersion.objects.get_or_create(
        organization=organization,
        number=1,
        defaults={
            "title": title,
            "body": clean_html(body),
            "published_at": now - datetime.timedelta(days=30),
            "created_by": admin,
        },
    )
    course_title, course_description, lessons = COURSES[language]
    course, created = Course.objects.get_or_create(
        organization=organization,
        title=course_title,
        defaults={"description": course_description, "is_published": True},
    )
    if created:
        for position, (lesson_title, lesson_body, video, questions) in enumerate(lessons):
            lesson = Lesson.objects.create(
                organization=organization,
                course=course,
                title=lesson_title,
                body=clean_html(lesson_body),
                video_url=video,
                position=position,
            )
            for q_position, (prompt, choices, correct) in enumerate(questions):
                QuizQuestion.objects.create(
                    organization=organization,
                    lesson=lesson,
                    prompt=prompt,
                    choices=choices,
                    correct_index=correct,
                    position=q_position,
                )
