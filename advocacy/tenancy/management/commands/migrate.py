"""Django's migrate, run as the owning database user (see advocacy.tenancy.rls).

The application itself acts as a role that row-level security applies to;
schema changes need the owner, and afterwards every tenant table gets its policy.
"""

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from advocacy.tenancy.rls import owner_role


class Command(DjangoMigrateCommand):
    def handle(self, *args, **options):
        with owner_role(options["database"]):
            return super().handle(*args, **options)
