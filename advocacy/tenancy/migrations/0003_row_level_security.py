"""Row-level security on every tenant table (PostgreSQL only).

Creates the application role that cannot bypass RLS, grants it the data, and
enables + FORCEs the tenant policy on each tenant table that exists now.
Tables added later get the same from the post_migrate hook in rls.py.
"""

from django.db import migrations


def protect_tenant_tables(apps, schema_editor):
    from advocacy.tenancy import rls

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    rls.ensure_app_role(connection)
    tables = rls.tenant_tables()
    with connection.cursor() as cursor:
        for table, person_column in tables.items():
            if table in existing:
                rls._protect(cursor, connection.ops.quote_name, table, person_column)


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0002_invitation_tracking_importjob"),
        ("accounts", "0002_initial"),
    ]

    operations = [migrations.RunPython(protect_tenant_tables, migrations.RunPython.noop, elidable=False)]
