"""Django's flush, run as the owning database user.

The application role has no TRUNCATE (TRUNCATE ignores row-level security);
emptying the database is schema-owner work, used by tests and by hand.
"""

from django.core.management.commands.flush import Command as DjangoFlushCommand

from advocacy.tenancy.rls import owner_role


class Command(DjangoFlushCommand):
    def handle(self, **options):
        with owner_role(options["database"]):
            return super().handle(**options)
