"""An index of the segment rows that count shares, for the active advocates of a period.

Built with the table locked against writes; the segment table grows with days and
advocates, not clicks (27,300 rows for an organization of 4M clicks over 90 days), so
this takes a moment.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0009_clickevent_bytewise_ids"),
        ("tenancy", "0005_organization_brand"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="segmentdaily",
            index=models.Index(
                condition=models.Q(("shares__gt", 0)),
                fields=["organization", "day", "membership"],
                name="segmentdaily_sharers",
            ),
        ),
    ]
