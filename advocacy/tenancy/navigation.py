"""Role-aware navigation. Each app lists its pages on its AppConfig:

    navigation = [NavItem("campaigns:feed", _("Feed"), "newspaper", EVERYONE, order=10)]

and the shell shows the ones the person's role may open, grouped by app. An item
marked `landing_for` a role is where people with that role land in the organization."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str
    roles: frozenset[str]
    order: int = 50
    landing_for: frozenset[str] = frozenset()


def _visible_items(organization, membership):
    if organization is None or membership is None:
        return []
    found = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if membership.role not in item.roles:
                continue
            try:
                url = reverse(item.url_name, kwargs={"org_slug": organization.slug})
            except NoReverseMatch:
                continue
            found.append((config, item, url))
    return sorted(found, key=lambda entry: entry[1].order)


def navigation_for(organization, membership) -> list[dict]:
    return [
        {"url": url, "label": item.label, "icon": item.icon, "name": item.url_name}
        for _config, item, url in _visible_items(organization, membership)
    ]


def navigation_sections_for(organization, membership) -> list[dict]:
    """The same items grouped by app, for a menu that fits on a phone and a laptop."""
    sections: dict[str, dict] = {}
    for config, item, url in _visible_items(organization, membership):
        section = sections.setdefault(
            config.label,
            {
                "label": getattr(config, "nav_label", config.verbose_name),
                "icon": item.icon,
                "items": [],
            },
        )
        section["items"].append(
            {"url": url, "label": item.label, "icon": item.icon, "name": item.url_name}
        )
    return list(sections.values())


def landing_url_for(organization, membership) -> str | None:
    for _config, item, url in _visible_items(organization, membership):
        if membership.role in item.landing_for:
            return url
    return None


# --- what apps contribute to the shell and the organization's home ---------------------------


@dataclass(frozen=True)
class OnboardingStep:
    """A step of the admins' first-run checklist, declared by the app that completes it:

    onboarding_steps = [OnboardingStep("add_content", _("Add approved content"), order=20)]

    The app's service ticks it with `onboarding_step_complete(step="add_content")`."""

    key: str
    label: str
    order: int = 50


def onboarding_steps() -> list[OnboardingStep]:
    steps = [
        step
        for config in apps.get_app_configs()
        for step in getattr(config, "onboarding_steps", ())
    ]
    return sorted(steps, key=lambda step: step.order)


def page_prompts_for(organization, membership) -> list[str]:
    """URLs of the small prompts apps show on every page of the organization (loaded by htmx
    after the page). An app lists their URL names: `page_prompts = ["surveys:prompt"]`."""
    if organization is None or membership is None:
        return []
    urls = []
    for config in apps.get_app_configs():
        for url_name in getattr(config, "page_prompts", ()):
            try:
                urls.append(reverse(url_name, kwargs={"org_slug": organization.slug}))
            except NoReverseMatch:
                continue
    return urls


# --- live numbers on the admins' home ----------------------------------------------------------


@dataclass(frozen=True)
class HomeFigure:
    """A live number on the admins' home, declared by the app that knows it:

        home_figures = [HomeFigure("shares_week", _("Shares this week"),
                                   "campaigns.home:shares_this_week", url_name="campaigns:my_shares")]

    `reader` names a function `(*, organization) -> int | None` (loaded by name, so the core
    imports no app); a figure of `kind` "rate" reads a fraction (0.125) and shows it as every
    rate is shown (advocacy.formatting: "12.5%"). A figure marked `attention` asks the
    admin to act while it is above zero;
    `next_step` says how, in words."""

    key: str
    label: str
    reader: str
    url_name: str = ""
    icon: str = "graph-up"
    order: int = 50
    kind: str = "count"  # "count" or "rate"
    attention: bool = False
    next_step: str = ""


def home_figures_for(organization, membership) -> list[dict]:
    """Every app's figure with its current value; a figure whose reader fails shows as
    unknown (None) instead of breaking the home page."""
    from django.utils.module_loading import import_string

    if organization is None or membership is None:
        return []
    declared = sorted(
        (
            figure
            for config in apps.get_app_configs()
            for figure in getattr(config, "home_figures", ())
        ),
        key=lambda figure: figure.order,
    )
    shown = []
    for figure in declared:
        try:
            value = import_string(figure.reader.replace(":", "."))(organization=organization)
        except Exception:  # one app's bad day must not take the home page down
            _log.exception("home figure %s failed", figure.key)
            value = None
        url = ""
        if figure.url_name:
            try:
                url = reverse(figure.url_name, kwargs={"org_slug": organization.slug})
            except NoReverseMatch:
                url = ""
        shown.append(
            {
                "key": figure.key,
                "label": figure.label,
                "value": value,
                "kind": figure.kind,
                "icon": figure.icon,
                "url": url,
                "needs_you": bool(figure.attention and value),
                "next_step": figure.next_step,
            }
        )
    return shown
