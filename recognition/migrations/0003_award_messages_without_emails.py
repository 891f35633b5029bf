"""Award announcements stored before `recognition/names.py` may name the winner (or the
person who closed the round) by e-mail address: "ana@acme.test is our Advocate of the
month!". The feed, embeds and newsletters show them outside Chorus, so each address is
replaced by the display name the person chose, or "a colleague" in the organization's
language. Idempotent: a message without an address is left as it is."""

import re

from django.db import migrations
from django.utils import translation


def scrub_award_messages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT set_config('app.system', 'on', true)")
    ShoutOut = apps.get_model("recognition", "ShoutOut")
    awards = ShoutOut.objects.filter(kind="award").select_related(
        "organization", "recipient__user", "sender__user"
    )
    for shout in awards.iterator():
        message = shout.message
        for membership in (shout.recipient, shout.sender):
            email = (membership.user.email or "").strip()
            if not email or email.lower() not in message.lower():
                continue
            name = (membership.user.name or "").strip()
            if not name:
                with translation.override(shout.organization.default_language or "en"):
                    name = translation.gettext("a colleague")
            message = re.sub(
                re.escape(email), lambda _match, name=name: name, message, flags=re.IGNORECASE
            )
        if message != shout.message:
            ShoutOut.objects.filter(pk=shout.pk).update(message=message[:1000])


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0002_share_title_repost_outcome_cycle_flag"),
    ]

    operations = [
        migrations.RunPython(scrub_award_messages, migrations.RunPython.noop),
    ]
