"""Recompute every share's click counter from the stored clicks (after a repair)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Count

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Organization
from analytics.models import ClickEvent
from campaigns.counters import share_counters_update
from campaigns.models import Share


class Command(BaseCommand):
    help = "Set each share's clicks to its stored unique human clicks."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Slug of one organization (default: all).")

    def handle(self, *args, organization=None, **options):
        organizations = Organization.objects.all()
        if organization:
            organizations = organizations.filter(slug=organization)
        for org in organizations:
            with org_context(org):
                counted = dict(
                    ClickEvent.objects.for_org(org)
                    .filter(is_unique=True, is_bot=False)
                    .values_list("share")
                    .annotate(n=Count("id"))
                    .values_list("share", "n")
                )
                changed = 0
                for share_id, clicks in Share.objects.for_org(org).values_list("id", "clicks"):
                    if counted.get(share_id, 0) != clicks:
                        share_counters_update(
                            organization=org, share_id=share_id, clicks=counted.get(share_id, 0)
                        )
                        changed += 1
            self.stdout.write(f"{org.slug}: {changed} shares corrected")
