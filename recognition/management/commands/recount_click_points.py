"""Repair click points for existing data: ask the sharing side for every share's clicks
so far and append the click points the ledger is missing. Idempotent: a second run
appends nothing. (Before the click flush published per-batch deltas, recognition read a
batch's clicks as a running total and ignored later batches.)"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from advocacy import events
from advocacy.tenancy.context import system_context
from advocacy.tenancy.models import Organization


class Command(BaseCommand):
    help = "Append the click points each advocate's shares earned but the ledger is missing."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Slug of one organization (default: all).")

    def handle(self, *args, organization=None, **options):
        with system_context("recognition: recount click points"):
            organizations = Organization.objects.filter(is_active=True).order_by("pk")
            if organization:
                organizations = organizations.filter(slug=organization)
            ids = list(organizations.values_list("pk", "slug"))
        if organization and not ids:
            raise CommandError(f"No active organization with the slug {organization!r}.")
        for organization_id, slug in ids:
            events.publish(events.ClickPointsRecountRequested(organization_id=organization_id))
            self.stdout.write(f"{slug}: click points recount requested")
