"""PostgreSQL upkeep the benches do before they time anything."""

from __future__ import annotations


def vacuum_analyze(*tables: str) -> None:
    """VACUUM ANALYZE the tables on a connection of their own (VACUUM runs outside a
    transaction), so a timed phase meets them as autovacuum keeps them: dead rows gone,
    visibility map set, statistics taken (autovacuum may be off on the server)."""
    import psycopg2
    from django.db import connection

    owner = psycopg2.connect(**connection.get_connection_params())
    owner.autocommit = True
    try:
        with owner.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
    finally:
        owner.close()
