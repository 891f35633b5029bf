from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .navigation import NavItem, OnboardingStep
from .permissions import ADMINS, MANAGERS


class TenancyConfig(AppConfig):
    name = "advocacy.tenancy"
    label = "tenancy"
    verbose_name = _("Organizations")
    nav_label = _("Organization")
    navigation = [
        NavItem("tenancy:directory", _("People"), "people", MANAGERS, order=80),
        NavItem("tenancy:settings", _("Settings"), "gear", ADMINS, order=95),
    ]
    onboarding_steps = [OnboardingStep("invite_people", _("Invite your people"), order=10)]

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import rls

        connection_created.connect(rls.on_connection_created, dispatch_uid="chorus_rls_connection")
        post_migrate.connect(
            rls.on_post_migrate, sender=self, dispatch_uid="chorus_rls_post_migrate"
        )
