"""Every model is a TenantModel or declared global (issue 3, item 8c)."""

from django.apps import apps

from advocacy.tenancy.models import GLOBAL_MODELS, TenantModel


def _declared_global() -> set[str]:
    names = set(GLOBAL_MODELS)
    for config in apps.get_app_configs():
        names |= {name.lower() for name in getattr(config, "global_models", ())}
    return names


def test_every_model_is_tenant_owned_or_declared_global():
    declared = _declared_global()
    offenders = [
        model._meta.label_lower
        for model in apps.get_models()
        if not issubclass(model, TenantModel) and model._meta.label_lower not in declared
    ]
    assert offenders == [], f"neither a TenantModel nor declared global: {offenders}"


def test_auto_created_many_to_many_tables_never_join_tenant_rows():
    """A tenant M2M must use an explicit through model that carries the organization."""
    offenders = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.auto_created:
            continue
        related = [f.related_model for f in model._meta.get_fields() if f.many_to_one]
        if any(r is not None and issubclass(r, TenantModel) for r in related):
            offenders.append(model._meta.label_lower)
    assert offenders == []


def test_the_global_list_names_only_models_that_exist():
    existing = {model._meta.label_lower for model in apps.get_models()}
    stale = sorted(name for name in _declared_global() if name not in existing)
    assert stale == [], f"declared global but no such model: {stale}"
