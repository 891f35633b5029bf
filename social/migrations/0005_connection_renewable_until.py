from django.db import migrations, models


def start_from_the_access_expiry(apps, schema_editor):
    """Until now only the access token's expiry was known. Start every connection from it;
    the expiry job renews a refreshable one and then stores its refresh token's own end."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('app.system', 'on', true)")  # row-level security
        cursor.execute(
            "UPDATE social_connection SET renewable_until = expires_at WHERE expires_at IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0004_app_reads_refused"),
    ]

    operations = [
        migrations.AddField(
            model_name="connection",
            name="renewable_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(start_from_the_access_expiry, migrations.RunPython.noop),
    ]
