"""The click table's ids and visit keys compare bytewise (COLLATE "C" on PostgreSQL).

On PostgreSQL this rebuilds the two indexes that hold them, with the table locked
against writes meanwhile: on a large table, run it when the flusher may pause (clicks
wait in the stream and the journals, and are stored once the flusher runs again).
No rows are rewritten. On SQLite the schema stays as it was.
"""

from django.db import migrations

import analytics.fields


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0008_clickevent_no_organization_constraint"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clickevent",
            name="click_id",
            field=analytics.fields.BytewiseCharField(max_length=24),
        ),
        migrations.AlterField(
            model_name="clickevent",
            name="visit_key",
            field=analytics.fields.BytewiseCharField(blank=True, max_length=16),
        ),
    ]
