"""The library's rules: settings, topics and banned words."""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import slugify

from advocacy.tenancy.models import Organization

from ..models import LibrarySettings, Topic
from ..selectors import library_settings_get


def library_settings_update(*, organization: Organization, **fields: Any) -> LibrarySettings:
    rules, _created = LibrarySettings.objects.for_org(organization).get_or_create(
        organization=organization
    )
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean(exclude=["organization"])
    rules.save()
    organization._library_settings = rules
    return rules


def topic_get_or_create(*, organization: Organization, name: str) -> Topic:
    name = " ".join(name.split())[:80]
    slug = slugify(name)[:80] or "topic"
    topic, _created = Topic.objects.for_org(organization).get_or_create(
        organization=organization, slug=slug, defaults={"name": name}
    )
    return topic


def banned_words_in(*, organization: Organization, text: str) -> list[str]:
    found = []
    for word in library_settings_get(organization=organization).banned_word_list():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(word)
    return found
