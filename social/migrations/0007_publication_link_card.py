from django.db import migrations, models


class Migration(migrations.Migration):
    """The link card's title and description travel with the publication, so a post
    sent later (a retry, a reconciled resend) shows the same card as the first attempt."""

    dependencies = [
        ("social", "0006_connect_attempt"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="link_title",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="publication",
            name="link_description",
            field=models.CharField(blank=True, max_length=500),
        ),
    ]
