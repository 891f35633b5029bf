"""Old award announcements that named a person by e-mail address (stored before public
names) are rewritten by a migration: the display name, or "a colleague" in the
organization's language. Other shout-outs and clean messages are left alone, and running
it again changes nothing."""

import importlib

import pytest
from django.apps import apps as live_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from advocacy.tenancy.rls import owner_role
from recognition.models import ShoutOut
from tests.factories import MembershipFactory, UserFactory

BEFORE = [("recognition", "0002_share_title_repost_outcome_cycle_flag")]
scrub = importlib.import_module(
    "recognition.migrations.0003_award_messages_without_emails"
).scrub_award_messages


@pytest.mark.django_db(transaction=True)
def test_the_migration_replaces_addresses_in_award_messages(org_a, org_b):
    org_b.default_language = "id"
    org_b.save()
    named = MembershipFactory(
        organization=org_a, user=UserFactory(email="dewi@acme.test", name="Dewi Lestari")
    )
    nameless = MembershipFactory(
        organization=org_a, user=UserFactory(email="raka@acme.test", name="")
    )
    admin = MembershipFactory(organization=org_a, user=UserFactory(email="boss@acme.test", name=""))
    indonesian = MembershipFactory(
        organization=org_b, user=UserFactory(email="sari@beta.test", name="")
    )
    executor = MigrationExecutor(connection)
    with owner_role():
        executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("recognition", "ShoutOut")

    def shout(org, sender, recipient, message, kind="award"):
        return old.objects.create(
            organization_id=org.pk,
            sender_id=sender.pk,
            recipient_id=recipient.pk,
            message=message,
            kind=kind,
        ).pk

    rows = {
        "named": shout(org_a, admin, named, "dewi@acme.test is our Advocate of the month!"),
        "nameless": shout(org_a, admin, nameless, "RAKA@acme.test is our Star! (boss@acme.test)"),
        "id": shout(org_b, indonesian, indonesian, "sari@beta.test adalah Bintang kita!"),
        "clean": shout(org_a, admin, named, "Dewi is our Star!"),
        "peer": shout(org_a, admin, nameless, "thanks raka@acme.test", kind="peer"),
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    with owner_role():  # schema work runs as the owning user, as `migrate` does
        executor.migrate(executor.loader.graph.leaf_nodes())

    def messages():
        return {key: ShoutOut.objects.get(pk=pk).message for key, pk in rows.items()}

    after = messages()
    assert after == {
        "named": "Dewi Lestari is our Advocate of the month!",
        "nameless": "a colleague is our Star! (a colleague)",
        "id": "seorang rekan adalah Bintang kita!",
        "clean": "Dewi is our Star!",
        "peer": "thanks raka@acme.test",  # a person's own words to a colleague, not an announcement
    }
    with connection.schema_editor() as editor:
        scrub(live_apps, editor)
    assert messages() == after
