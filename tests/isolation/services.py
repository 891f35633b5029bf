"""A probe shaped like a service (organization= keyword, in a `services` module), for
tests/isolation/test_actors.py: it reads and writes whatever row it is handed,
checking nothing, the way a service with a cross-organization bug would."""

from django.db import connection

from advocacy.tenancy.context import current_org, in_system_context
from advocacy.tenancy.models import Team


def who_acts(*, organization):
    return current_org(), in_system_context()


def team_name_read(*, organization, team_id):
    return Team.objects.get(pk=team_id).name


def team_rename(*, organization, team, name):
    team.name = name
    team.save(update_fields=["name"])
    return team


def database_actor(*, organization):
    """Who PostgreSQL itself sees acting: the role and the settings RLS reads."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_setting('app.current_org', true),"
            " current_setting('app.system', true)"
        )
        return cursor.fetchone()
