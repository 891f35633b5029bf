"""Modules the code loads by name, which import-linter cannot see.

`manage.py seed_demo` (in the tenancy core) imports `<app>.demo` for every installed
app by name, so the core names no app. The price is an edge no contract covers: a
demo module may reach into apps it must not, or depend on data of an app seeded
after it. These tests read the real import graph (grimp, the library behind
import-linter) and the real seeding order."""

from importlib.util import find_spec

import grimp
from django.apps import apps

# DESIGN.md §2: what each app may import, besides the platform core and itself.
MAY_IMPORT = {
    "social": set(),
    "content_library": set(),
    "surveys": set(),
    "recognition": set(),
    "campaigns": {"content_library", "social"},
    "analytics": {"campaigns", "social", "content_library", "recognition", "surveys"},
}
WIRING = {"advocacy.settings", "advocacy.urls", "advocacy.celery", "advocacy.beat"}
PRODUCT_APPS = tuple(MAY_IMPORT)


def _demo_modules() -> list[tuple[str, str]]:
    """(app, module) in the order seed_demo loads them: the installed apps' order."""
    found = []
    for config in apps.get_app_configs():
        module = f"{config.name}.demo"
        if find_spec(module) is not None:
            # An app inside a product package (campaigns.digests) follows its package's rules.
            top = config.name.split(".")[0]
            found.append((top if top in MAY_IMPORT else config.name, module))
    return found


def _graph():
    return grimp.build_graph("advocacy", *PRODUCT_APPS, include_external_packages=False)


def test_every_product_app_but_social_seeds_demo_data_by_name():
    loaded = {app for app, _module in _demo_modules()}
    assert {"content_library", "campaigns", "analytics", "recognition", "surveys"} <= loaded


def test_demo_modules_import_only_what_their_app_may_import():
    graph = _graph()
    wrong = {}
    for app, module in _demo_modules():
        imported = graph.find_modules_directly_imported_by(module)
        if app in MAY_IMPORT:
            allowed = MAY_IMPORT[app] | {app}
            apps_named = {
                name.split(".")[0] for name in imported if not name.startswith("advocacy")
            }
            bad = sorted(apps_named - allowed)
        else:  # the core's own demo names no app
            bad = sorted(name for name in imported if name.split(".")[0] in PRODUCT_APPS)
        bad += sorted(name for name in imported if name in WIRING)
        if bad:
            wrong[module] = bad
    assert wrong == {}


def test_a_demo_seeds_after_the_apps_whose_data_it_uses():
    graph = _graph()
    order = [app for app, _module in _demo_modules()]
    late = {}
    for position, (app, module) in enumerate(_demo_modules()):
        used = {
            name.split(".")[0]
            for name in graph.find_modules_directly_imported_by(module)
            if name.split(".")[0] in PRODUCT_APPS and name.split(".")[0] != app
        }
        after = sorted(
            other
            for other in used
            if other in order[position + 1 :] and other not in order[:position]
        )
        if after:
            late[module] = after
    assert late == {}


def test_the_core_loads_demo_modules_by_name_only():
    """The seed command itself imports no app: the by-name loop is the only link."""
    graph = _graph()
    command = "advocacy.tenancy.management.commands.seed_demo"
    named = {
        name
        for name in graph.find_modules_directly_imported_by(command)
        if name.split(".")[0] in PRODUCT_APPS
    }
    assert named == set()
