"""Write a sample digest e-mail in every language to docs/digests/ (or --out), rendered by
the same code that sends real ones, so the e-mail can be read without sending it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from advocacy.accounts.models import User
from advocacy.tenancy.models import Membership, Organization
from campaigns.digests.emails import build_digest_email
from content_library.models import ContentItem

SAMPLES = {
    "en": {
        "person": ("Emma Advocate", "emma@acme.example"),
        "items": [
            (
                "We are hiring across Sales and Engineering",
                "Twelve open roles, hybrid, in New York and remote.",
            ),
            ("Our new plant in Surabaya opens", "Built to run on solar power from day one."),
        ],
    },
    "id": {
        "person": ("Dewi Lestari", "dewi@acme.example"),
        "items": [
            (
                "Kami membuka lowongan di Penjualan dan Teknologi",
                "Dua belas posisi, hibrida, di Jakarta dan jarak jauh.",
            ),
            (
                "Pabrik baru kami di Surabaya dibuka",
                "Dibangun untuk berjalan dengan tenaga surya sejak hari pertama.",
            ),
        ],
    },
}


class Command(BaseCommand):
    help = "Render a sample digest e-mail per language into docs/digests/ (nothing is sent)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "digests"))

    def handle(self, *args, out: str, **options):
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for language, sample in SAMPLES.items():
            organization = Organization(
                pk=1, name="Acme Corporation", slug="acme", default_language=language
            )
            name, email = sample["person"]
            user = User(pk=7, name=name, email=email, preferred_language=language)
            membership = Membership(pk=7, organization=organization, user=user)
            items = [
                ContentItem(pk=100 + n, organization=organization, title=title, description=text)
                for n, (title, text) in enumerate(sample["items"], start=1)
            ]
            message = build_digest_email(
                organization=organization, membership=membership, items=items, frequency="weekly"
            )
            headers = "".join(
                f"{key}: {message.extra_headers.get(key, value)}\n"
                for key, value in (
                    ("Subject", message.subject),
                    ("To", email),
                    ("List-Unsubscribe", ""),
                    ("List-Unsubscribe-Post", ""),
                )
            )
            (folder / f"digest.{language}.txt").write_text(headers + "\n" + message.body)
            (folder / f"digest.{language}.html").write_text(message.alternatives[0][0])
            self.stdout.write(f"wrote {folder / f'digest.{language}.txt'} and .html")
