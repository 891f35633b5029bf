"""What Chorus holds, found from the models themselves rather than a list that
goes stale: every tenant model row that points at the person (their account or
their membership), or, for an organization export, every tenant row it owns.
Secrets (password and token hashes, encrypted tokens, keys) are never included."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from advocacy.accounts.models import User
from advocacy.tenancy.models import Membership, Organization, TenantModel

SECRET_MARKERS = ("password", "token", "secret", "hash", "key", "encrypted", "cipher", "credential")
USER_FIELDS = ("email", "name", "preferred_language", "date_joined", "last_login")


def _is_secret(field: models.Field) -> bool:
    return any(marker in field.name.lower() for marker in SECRET_MARKERS)


def _row(obj: models.Model) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if _is_secret(field):
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        row[field.attname] = value
    return json.loads(json.dumps(row, cls=DjangoJSONEncoder, default=str))


def tenant_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not m._meta.proxy and m._meta.managed
    ]


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _person_filter(model, user: User, membership: Membership | None) -> models.Q | None:
    query = models.Q()
    found = False
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        target = field.related_model
        if target is User:
            query |= models.Q(**{field.name: user})
            found = True
        elif target is Membership and membership is not None:
            query |= models.Q(**{field.name: membership})
            found = True
    return query if found else None


def personal_sections(
    *, organization: Organization, user: User
) -> Iterator[tuple[str, list[dict]]]:
    membership = Membership.objects.for_org(organization).filter(user=user).first()
    yield "account", [{name: _row(user).get(name) for name in USER_FIELDS}]
    for model in tenant_models():
        if model is Membership:
            rows = [_row(membership)] if membership else []
        else:
            query = _person_filter(model, user, membership)
            if query is None:
                continue
            rows = [_row(obj) for obj in model.objects.for_org(organization).filter(query)]
        if rows:
            yield _label(model), rows


def organization_sections(*, organization: Organization) -> Iterator[tuple[str, list[dict]]]:
    yield "organization", [_row(organization)]
    for model in tenant_models():
        rows = [_row(obj) for obj in model.objects.for_org(organization).iterator(chunk_size=1000)]
        if rows:
            yield _label(model), rows


def published_posts(*, organization: Organization, membership: Membership) -> list[dict]:
    """Posts the person published on the networks: Chorus cannot take them down
    from there once the account is gone, so the person is shown where they are."""
    posts = []
    for model in tenant_models():
        names = {f.name for f in model._meta.concrete_fields}
        query = _person_filter(model, membership.user, membership)
        if query is None or "status" not in names:
            continue
        for obj in model.objects.for_org(organization).filter(query, status="published"):
            url = getattr(obj, "external_url", "") or getattr(
                getattr(obj, "publication", None), "external_url", ""
            )
            if url:
                posts.append({"title": str(obj), "url": url})
    return posts
