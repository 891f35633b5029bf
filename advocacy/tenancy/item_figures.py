"""Figures shown beside each row of another app's list, declared by the app that knows
them, so the list's app imports no other app (the content library imports only the
core, yet shows each item's shares and clicks, which analytics owns):

    item_figures = [ItemFigures("content", "analytics.library:content_figures",
                                columns=(("shares", _("Shares")), ("clicks", _("Clicks"))),
                                period_days=30, url_name="analytics:content")]

`reader` names a function `(*, organization, ids) -> {id: {key: number}}` (loaded by
name, so the core imports no app) that answers for a whole page of rows at once: one
query per declaring app, whatever the page's length. An id the reader does not return
shows zeros: nothing happened to it in the period."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemFigures:
    kind: str  # which rows: "content" (the library's items)
    reader: str
    columns: tuple[tuple[str, str], ...]  # (key, label), in the order shown
    period_days: int | None = None  # the figures cover the last N days (None: all time)
    url_name: str = ""  # the page that shows the same figures in full
    icons: tuple[str, ...] = ()  # a Bootstrap icon per column
    order: int = 50


def item_figures_for(*, organization, kind: str, ids: Sequence[int]) -> list[dict]:
    """Every app's figures for these rows: a list of sets, each with its columns, its
    period, a link to its source and `values[id] = [{"key", "label", "value", "icon"}]`.
    A reader that fails leaves its set out instead of breaking the list."""
    from django.utils.module_loading import import_string

    declared = sorted(
        (
            figures
            for config in apps.get_app_configs()
            for figures in getattr(config, "item_figures", ())
            if figures.kind == kind
        ),
        key=lambda figures: figures.order,
    )
    ids = list(ids)
    shown = []
    for figures in declared:
        if not ids:
            break
        try:
            found = import_string(figures.reader.replace(":", "."))(
                organization=organization, ids=ids
            )
        except Exception:  # one app's bad day must not take the list down
            _log.exception("item figures %s failed", figures.reader)
            continue
        url = ""
        if figures.url_name:
            try:
                url = reverse(figures.url_name, kwargs={"org_slug": organization.slug})
            except NoReverseMatch:
                url = ""
        icons = figures.icons or ("",) * len(figures.columns)
        shown.append(
            {
                "period_days": figures.period_days,
                "url": url,
                "columns": [label for _key, label in figures.columns],
                "values": {
                    pk: [
                        {
                            "key": key,
                            "label": label,
                            "icon": icon,
                            "value": (found.get(pk) or {}).get(key) or 0,
                        }
                        for (key, label), icon in zip(figures.columns, icons, strict=False)
                    ]
                    for pk in ids
                },
            }
        )
    return shown
