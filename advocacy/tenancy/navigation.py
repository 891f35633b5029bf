"""Role-aware navigation. Each app lists its pages on its AppConfig:

    navigation = [NavItem("campaigns:feed", _("Feed"), "newspaper", EVERYONE, order=10)]

and the shell shows the ones the person's role may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str
    roles: frozenset[str]
    order: int = 50


def navigation_for(organization, membership) -> list[dict]:
    if organization is None or membership is None:
        return []
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if membership.role not in item.roles:
                continue
            try:
                url = reverse(item.url_name, kwargs={"org_slug": organization.slug})
            except NoReverseMatch:
                continue
            items.append(
                (
                    item.order,
                    {"url": url, "label": item.label, "icon": item.icon, "name": item.url_name},
                )
            )
    return [entry for _order, entry in sorted(items, key=lambda pair: pair[0])]
