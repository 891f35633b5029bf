"""Re-encrypt every stored token (and Mastodon app secret) under the newest key.

Rotation: prepend a new key to SOCIAL_TOKEN_KEYS, deploy, run this, then drop
the old key from the list."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from advocacy.tenancy.context import org_context, system_context
from advocacy.tenancy.models import Organization
from social.crypto import rotate_text
from social.models import Connection, MastodonInstanceApp


class Command(BaseCommand):
    help = "Re-encrypt social tokens under the newest key of SOCIAL_TOKEN_KEYS."

    def handle(self, *args, **options):
        with system_context("rotate_social_tokens: list organizations"):
            organizations = list(Organization.objects.all())
        rotated = 0
        for organization in organizations:
            with org_context(organization), transaction.atomic():
                rows = (
                    Connection.objects.for_org(organization)
                    .exclude(token_ciphertext="")
                    .select_for_update()
                )
                for connection in rows:
                    connection.token_ciphertext = rotate_text(connection.token_ciphertext)
                    connection.save(update_fields=["token_ciphertext"])
                    rotated += 1
        apps = 0
        with transaction.atomic():
            for app in MastodonInstanceApp.objects.select_for_update():
                app.client_secret_ciphertext = rotate_text(app.client_secret_ciphertext)
                app.save(update_fields=["client_secret_ciphertext"])
                apps += 1
        self.stdout.write(
            f"Re-encrypted {rotated} connection tokens and {apps} Mastodon app secrets."
        )
