"""Reading every rollup row of an organization, to compare two ways of computing them."""

from __future__ import annotations

from analytics.rollups.facts import METRICS
from analytics.rollups.writers import KEY_COLUMNS, ROLLUP_MODELS


def rollup_rows(organization) -> dict[str, set[tuple]]:
    """{table: {(key..., metric...)}} without ids, leaving out rows that hold only zeros."""
    rows: dict[str, set[tuple]] = {}
    for model in ROLLUP_MODELS:
        keys = KEY_COLUMNS[model]
        found = set()
        for values in model.objects.for_org(organization).values_list(*keys, *METRICS):
            if any(values[len(keys) :]):
                found.add(values)
        rows[model.__name__] = found
    return rows
