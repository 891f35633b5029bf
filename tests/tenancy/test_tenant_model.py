"""TenantModel: rows belong to exactly one organization; the domain layer refuses mix-ups."""

import pytest
from django.apps import apps

from advocacy.tenancy.context import CrossTenantWrite, org_context
from advocacy.tenancy.models import GLOBAL_MODELS, Team, TenantModel

pytestmark = pytest.mark.django_db


def test_saving_a_row_of_another_org_inside_an_org_context_raises(org_a, org_b):
    with org_context(org_a), pytest.raises(CrossTenantWrite):
        Team.objects.create(organization=org_b, name="Wrong")
    assert not Team.objects.filter(name="Wrong").exists()


def test_for_org_returns_only_that_orgs_rows(org_a, org_b):
    Team.objects.create(organization=org_a, name="A")
    Team.objects.create(organization=org_b, name="B")
    assert list(Team.objects.for_org(org_a).values_list("name", flat=True)) == ["A"]


def test_for_org_refuses_a_missing_organization():
    with pytest.raises(ValueError):
        Team.objects.for_org(None)


def _global_models() -> set[str]:
    names = set(GLOBAL_MODELS)
    for config in apps.get_app_configs():
        names |= set(getattr(config, "global_models", ()))
    return names


def test_every_model_is_a_tenant_model_or_declared_global():
    offenders = [
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if not issubclass(model, TenantModel)
        and model._meta.label_lower not in _global_models()
        and not (model._meta.auto_created and _is_tenant_through(model))
    ]
    assert offenders == [], f"neither TenantModel nor GLOBAL_MODELS: {offenders}"


def _is_tenant_through(model) -> bool:
    """Auto-created M2M tables are only allowed between global models; a tenant M2M
    must use an explicit through model that carries the organization column."""
    return all(
        getattr(field, "related_model", None) is None
        or not issubclass(field.related_model, TenantModel)
        for field in model._meta.get_fields()
        if field.is_relation and field.many_to_one
    )


def test_every_tenant_index_and_unique_constraint_starts_with_organization():
    exempt = set()
    for config in apps.get_app_configs():
        exempt |= set(getattr(config, "global_lookup_indexes", {}))
    offenders = []
    for model in apps.get_models():
        if not issubclass(model, TenantModel):
            continue
        meta = model._meta
        for index in meta.indexes:
            if (
                index.fields
                and index.fields[0].lstrip("-") != "organization"
                and index.name not in exempt
            ):
                offenders.append(f"{meta.label}.{index.name}")
        for constraint in meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields and fields[0] != "organization":
                offenders.append(f"{meta.label}.{constraint.name}")
        for together in meta.unique_together:
            if together[0] != "organization":
                offenders.append(f"{meta.label}.unique_together{together}")
        for field in meta.local_fields:
            if field.unique and not field.primary_key and field.name != "key_hash":
                offenders.append(f"{meta.label}.{field.name} (unique=True alone)")
    assert offenders == []
