"""English and Bahasa Indonesia ship complete: no Indonesian entry is left empty or fuzzy."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGS = sorted(
    path for root in settings.LOCALE_PATHS for path in Path(root).glob("id/LC_MESSAGES/django.po")
)


def test_every_app_with_strings_has_an_indonesian_catalog():
    assert Path(settings.BASE_DIR, "locale", "id", "LC_MESSAGES", "django.po") in CATALOGS


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_indonesian_catalog_is_complete(catalog):
    po = polib.pofile(str(catalog))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
