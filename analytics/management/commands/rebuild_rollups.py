"""Recompute rollups from the raw clicks, shares, snapshots, comments and conversions."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization
from analytics.rollups.rebuild import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the analytics rollups of one organization (--org) or of all of them."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Slug of one organization (default: all).")

    def handle(self, *args, org=None, **options):
        organizations = Organization.objects.order_by("slug")
        if org:
            organizations = organizations.filter(slug=org)
            if not organizations.exists():
                raise CommandError(f"No organization with the slug {org!r}.")
        for organization in organizations:
            started = time.perf_counter()
            with org_context(organization):
                rollups_rebuild(organization=organization)
            self.stdout.write(
                f"{organization.slug}: rollups rebuilt in {time.perf_counter() - started:.2f} s"
            )
