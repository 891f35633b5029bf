"""Apply row-level security to every tenant table that lacks it, and report."""

from django.core.management.base import BaseCommand
from django.db import connections

from advocacy.tenancy import rls


class Command(BaseCommand):
    help = "Enable and FORCE row-level security with the tenant policy on every tenant table (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only list tables without the policy; exit 1 if any.",
        )

    def handle(self, *args, database, check, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: row-level security does not apply.")
            return
        with rls.owner_role(database):
            if check:
                missing = rls.missing_policies(connection)
                if missing:
                    self.stderr.write("Without row-level security: " + ", ".join(missing))
                    raise SystemExit(1)
                self.stdout.write("Every tenant table has row-level security.")
                return
            changed = rls.apply(connection)
        self.stdout.write(f"Row-level security applied to {len(changed)} table(s).")
